"""Print the msgids of a .po file that have no translation (or are fuzzy)."""

import sys

import polib

for entry in polib.pofile(sys.argv[1]):
    if not entry.obsolete and (not entry.translated() or entry.fuzzy):
        print(
            repr(entry.msgid) if not entry.msgid_plural else repr((entry.msgid, entry.msgid_plural))
        )

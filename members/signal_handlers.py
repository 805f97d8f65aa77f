"""The members app's signal handlers, connected by ``register_signal_handlers()`` from
``MembersConfig.ready()``.

- A member's translation of an alias, once a moderator publishes it, stops being an alias
  (members/translation_views.py, ``convert_alias_on_publish``).
"""

from wagtail.signals import page_published


def register_signal_handlers():
    from .translation_views import convert_alias_on_publish

    page_published.connect(convert_alias_on_publish, dispatch_uid="members_convert_alias")

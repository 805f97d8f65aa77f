"""RFC 6238 time-based one-time passwords (standard library only), for the scripts that log in
to the admin through its second factor with a key given by `manage.py enrol_totp --key`."""

import binascii
import hashlib
import hmac
import struct
import time


def totp(key_hex, at=None, step=30, digits=6):
    counter = int((at or time.time()) // step)
    digest = hmac.new(
        binascii.unhexlify(key_hex), struct.pack(">Q", counter), hashlib.sha1
    ).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 10**digits
    return f"{code:0{digits}d}"

"""The subscriptions app's signal handlers, connected by ``register_signal_handlers()`` from
``SubscriptionsConfig.ready()``.

- Bounces and complaints reported by the e-mail service (django-anymail's ``tracking``, when
  django-anymail is installed) stop the mail to that address (subscriptions/bounces.py).
"""


def register_signal_handlers():
    try:
        from anymail.signals import tracking
    except ImportError:  # django-anymail is optional
        return
    from .bounces import anymail_tracking

    tracking.connect(anymail_tracking, dispatch_uid="subscriptions_anymail_tracking")

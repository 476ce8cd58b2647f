from django.apps import AppConfig


class AllianceConfig(AppConfig):
    name = "alliance"
    verbose_name = "Alliance"

    def ready(self):
        # Their sign-in receivers connect on import: the audit trail, the two-factor state
        # and the idle clock.
        from alliance import audit, middleware_security, two_factor  # noqa: F401

        audit.connect_axes_signals()

        from django.db.backends.signals import connection_created

        from alliance import prepared_reads

        connection_created.connect(prepared_reads.on_connect)

from django.db import migrations

# The queue's "all from this email" and "from this IP" links filter on columns of
# django-comments' own table, which that app does not index; its models are not ours to change,
# so the indexes are created here by name (plain SQL that PostgreSQL and SQLite both accept).
INDEXES = [
    ("comments_queue_user_email", "django_comments", "user_email"),
    ("comments_queue_ip_address", "django_comments", "ip_address"),
]


class Migration(migrations.Migration):
    dependencies = [("comments", "0009_site_replies_show_the_site_name")]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({column})",
            f"DROP INDEX IF EXISTS {name}",
        )
        for name, table, column in INDEXES
    ]

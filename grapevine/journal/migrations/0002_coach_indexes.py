"""Indexes for the coach's agenda (issue 5, speed); no change to any column.

- ``entry_owner_kind_time``: one kind of entry in a time window (R13's "help received
  in the last 37 days") without reading every entry of the window.
- ``journal_entry_people (person_id, entry_id)``: a person's entries from the index
  alone, without a look-up of each link row; the coach asks "the latest entry with
  this person" for hundreds of people at once (R12, R13, R14). The link table is
  Django's automatic one for ``Entry.people``, which has no ``Meta`` of its own, hence SQL
  (the same statement on SQLite and PostgreSQL).
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("journal", "0001_initial")]

    operations = [
        migrations.AddIndex(
            model_name="entry",
            index=models.Index(
                fields=["owner", "kind", "-occurred_at"], name="entry_owner_kind_time"
            ),
        ),
        migrations.RunSQL(
            sql="CREATE INDEX journal_entry_people_person_entry "
            "ON journal_entry_people (person_id, entry_id)",
            reverse_sql="DROP INDEX journal_entry_people_person_entry",
        ),
    ]

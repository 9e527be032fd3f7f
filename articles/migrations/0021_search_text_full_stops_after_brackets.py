"""Search text with a full stop after each heading, list item and cell that ends with a closing
bracket or quote, so that result snippets read "Peripheral neuropathy (PN). It affects…", not
"…(PN) It affects…" (derived data only; going back leaves it, which search reads the same)."""

import importlib

from django.db import migrations

# The same refill as 0020's, run again for what the search text now adds.
refill = importlib.import_module("articles.migrations.0020_search_text_full_stops").refill


class Migration(migrations.Migration):
    dependencies = [("articles", "0020_search_text_full_stops")]

    operations = [migrations.RunPython(refill, migrations.RunPython.noop)]

"""Message drafts, templates and the rule checks on them.

Named ``messaging`` rather than ``messages`` so its app label does not clash
with ``django.contrib.messages``.
"""

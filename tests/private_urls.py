"""Admin and private URLs that must stay closed to anonymous visitors and to member editors.

Each entry: (what it exposes, URL template, who may NOT see it). The URL template is formatted
with the ids from ``private_ids()`` (a draft page, its revision, a user). When your app adds a
private route (form submissions, exports, API endpoints with private data…), append it here;
tests/test_private_data.py checks every entry.
"""

ANONYMOUS = "anonymous"
MEMBER = "member"  # a member organisation's editor (demo login: asoft)

PRIVATE_URLS = [
    ("draft of a page (view draft)", "/admin/pages/{page_id}/view_draft/", {ANONYMOUS, MEMBER}),
    ("page history (revisions)", "/admin/pages/{page_id}/history/", {ANONYMOUS, MEMBER}),
    (
        "a revision's content",
        "/admin/pages/{page_id}/revisions/{revision_id}/view/",
        {ANONYMOUS, MEMBER},
    ),
    ("page editor (draft content)", "/admin/pages/{page_id}/edit/", {ANONYMOUS, MEMBER}),
    ("form submissions index", "/admin/forms/", {ANONYMOUS}),
    ("list of users and their emails", "/admin/users/", {ANONYMOUS, MEMBER}),
    ("a user's account and email", "/admin/users/{user_id}/", {ANONYMOUS, MEMBER}),
    ("groups and permissions", "/admin/groups/", {ANONYMOUS, MEMBER}),
    ("site settings (contact data)", "/admin/settings/", {ANONYMOUS}),
    ("workflow tasks", "/admin/workflows/list/", {ANONYMOUS, MEMBER}),
    ("documents library", "/admin/documents/", {ANONYMOUS}),
    ("images library", "/admin/images/", {ANONYMOUS}),
    # Members see only the history of the pages they may edit: anonymous only here.
    ("site history report", "/admin/reports/site-history/", {ANONYMOUS}),
]

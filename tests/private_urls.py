"""Admin and private URLs that must stay closed to anonymous visitors and to member editors.

Each entry: (what it exposes, URL template, who may NOT see it). The URL template is formatted
with the ids from ``private_ids()`` in tests/test_private_data.py (a draft page, its revision, a
user, a public contribution and its draft entry, an event registration, the contact form and one
of its submissions, a member organisation); each of those objects holds a secret string that the
refused answer must not show. When your app adds a
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
    ("a user's account and email", "/admin/users/edit/{user_id}/", {ANONYMOUS, MEMBER}),
    ("groups and permissions", "/admin/groups/", {ANONYMOUS, MEMBER}),
    ("site settings (contact data)", "/admin/settings/core/sitesettings/{site_id}/", {ANONYMOUS}),
    ("workflow tasks", "/admin/workflows/list/", {ANONYMOUS, MEMBER}),
    ("documents library", "/admin/documents/", {ANONYMOUS}),
    ("images library", "/admin/images/", {ANONYMOUS}),
    # Members see only the history of the pages they may edit: anonymous only here.
    ("site history report", "/admin/reports/site-history/", {ANONYMOUS}),
    # Contact and membership forms (contact app): what visitors sent, with their e-mails.
    ("contact form submissions", "/admin/forms/submissions/{form_page_id}/", {ANONYMOUS, MEMBER}),
    (
        "contact form submissions, CSV export",
        "/admin/forms/submissions/{form_page_id}/?export=csv",
        {ANONYMOUS, MEMBER},
    ),
    # Directory: public contributions (the contributor's e-mail) and the draft they created.
    ("public contributions", "/admin/snippets/directory/contribution/", {ANONYMOUS, MEMBER}),
    (
        "a public contribution",
        "/admin/snippets/directory/contribution/inspect/{contribution_id}/",
        {ANONYMOUS, MEMBER},
    ),
    (
        "a public contribution's edit form",
        "/admin/snippets/directory/contribution/edit/{contribution_id}/",
        {ANONYMOUS, MEMBER},
    ),
    ("a proposed entry's draft", "/admin/pages/{entry_id}/view_draft/", {ANONYMOUS, MEMBER}),
    ("a proposed entry in the API", "/api/v1/entries/{entry_id}", {ANONYMOUS, MEMBER}),
    (
        "a proposed entry in the API, by slug",
        "/api/v1/entries/slug/{entry_slug}",
        {ANONYMOUS, MEMBER},
    ),
    # Freshness report: live entries only, shown to every admin user (members too).
    ("stale entries report", "/admin/reports/fiches-a-actualiser/", {ANONYMOUS}),
    ("stale entries report, results", "/admin/reports/fiches-a-actualiser/results/", {ANONYMOUS}),
    # Search reports: what visitors typed.
    ("frequent searches", "/admin/reports/recherches-frequentes/", {ANONYMOUS, MEMBER}),
    (
        "frequent searches, results",
        "/admin/reports/recherches-frequentes/results/",
        {ANONYMOUS, MEMBER},
    ),
    ("searches without result", "/admin/reports/recherches-sans-resultat/", {ANONYMOUS, MEMBER}),
    (
        "searches without result, results",
        "/admin/reports/recherches-sans-resultat/results/",
        {ANONYMOUS, MEMBER},
    ),
    # Event registrations (events app): names and e-mails of participants.
    ("event registrations", "/admin/registrations/", {ANONYMOUS, MEMBER}),
    ("event registrations, CSV export", "/admin/registrations/?export=csv", {ANONYMOUS, MEMBER}),
    (
        "an event registration",
        "/admin/registrations/inspect/{registration_id}/",
        {ANONYMOUS, MEMBER},
    ),
    # Member organisations and their onboarding (members app).
    ("member organisations", "/admin/organisations/", {ANONYMOUS, MEMBER}),
    ("an organisation", "/admin/organisations/edit/{organisation_id}/", {ANONYMOUS, MEMBER}),
    (
        "onboarding an organisation",
        "/admin/organisations/onboard/{organisation_id}/",
        {ANONYMOUS, MEMBER},
    ),
    (
        "offboarding an organisation",
        "/admin/organisations/offboard/{organisation_id}/",
        {ANONYMOUS, MEMBER},
    ),
]

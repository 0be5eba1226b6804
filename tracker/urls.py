from django.urls import path

from tracker.public import feeds, views

app_name = "tracker"

urlpatterns = [
    path("toezeggingen/", views.commitment_list, name="list"),
    path("toezeggingen/feed.atom", feeds.changes_feed, name="feed"),
    path("toezeggingen/deadlines.ics", feeds.deadlines_ics, name="deadlines"),
    path("toezeggingen/volgen/", views.follow_filter, name="follow_filter"),
    path("toezeggingen/<str:reference>/", views.commitment_detail, name="detail"),
    path("toezeggingen/<str:reference>/volgen/", views.follow_commitment, name="follow"),
    path("vergaderingen/<slug:slug>/", views.session_detail, name="session"),
    path("personen/<slug:slug>/", views.person_detail, name="person"),
    path("commissies/<slug:slug>/", views.committee_detail, name="committee"),
    path("mijn-toezeggingen/", views.my_commitments, name="mine"),
    path("uitschrijven/<uuid:token>/", views.unsubscribe, name="unsubscribe"),
]

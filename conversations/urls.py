from django.urls import path

from . import views

app_name = "conversations"

urlpatterns = [
    path("", views.conversation_list, name="list"),
    path("<int:pk>/", views.conversation_detail, name="detail"),
    path("<int:pk>/updates/", views.conversation_updates, name="updates"),
    path("<int:pk>/translate/", views.conversation_translate, name="translate"),
    path("<int:pk>/files/<int:message_id>/", views.message_attachment, name="attachment"),
]

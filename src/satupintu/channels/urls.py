"""The message doors' webhooks, under ``/channels/``."""

from django.urls import path

from satupintu.channels import views

app_name = "channels"

urlpatterns = [
    path("whatsapp/webhook", views.whatsapp_webhook, name="whatsapp_webhook"),
    path("sms/inbound", views.sms_inbound, name="sms_inbound"),
    path("sms/status", views.sms_status, name="sms_status"),
]

"""The in-app list, the unread count in the header, marking read."""

import pytest

from foreign_affairs.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def inbox(applicant):
    return [
        Notification.objects.create(
            recipient=applicant,
            channel="in_app",
            status="sent",
            subject=f"审批进度 {i}",
            body="正文",
            link="/people/" if i == 0 else "",
        )
        for i in range(3)
    ]


def test_unread_count_is_in_the_header_and_falls_when_read(client, applicant, inbox):
    client.force_login(applicant)
    assert '<span class="badge rounded-pill text-bg-warning ms-1" data-testid="unread-count">3' in (
        client.get("/").content.decode()
    )
    response = client.post(f"/notifications/{inbox[0].pk}/open/")
    assert response.status_code == 302 and response["Location"] == "/people/"
    assert 'data-testid="unread-count">2' in client.get("/").content.decode()
    client.post("/notifications/read-all/")
    assert 'data-testid="unread-count"' not in client.get("/").content.decode()
    assert "审批进度 2" in client.get("/notifications/").content.decode()


def test_others_notifications_are_404(client, other_applicant, inbox):
    client.force_login(other_applicant)
    assert client.post(f"/notifications/{inbox[0].pk}/open/").status_code == 404
    assert "审批进度" not in client.get("/notifications/").content.decode()


def test_links_outside_the_portal_are_not_followed(client, applicant):
    evil = Notification.objects.create(
        recipient=applicant, channel="in_app", status="sent", subject="x", link="https://evil.example/"
    )
    client.force_login(applicant)
    assert client.post(f"/notifications/{evil.pk}/open/")["Location"] == "/notifications/"


def test_the_api_lists_counts_and_marks_read(api_as, applicant, other_applicant, inbox):
    api = api_as(applicant)
    assert api.get("/api/v1/notifications/unread_count/").json() == {"unread": 3}
    assert api.get("/api/v1/notifications/", {"unread": "1"}).json()["count"] == 3
    assert api.post(f"/api/v1/notifications/{inbox[1].pk}/read/").status_code == 204
    assert api.post("/api/v1/notifications/read_all/").json() == {"marked": 2}
    assert api_as(other_applicant).post(f"/api/v1/notifications/{inbox[1].pk}/read/").status_code == 404

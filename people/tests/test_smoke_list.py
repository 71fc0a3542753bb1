def test_officer_sees_own_people_only(client, officer, vq_person, lb_person):
    client.force_login(officer)
    response = client.get("/people/?q=nguyen van duc")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Nguyễn Văn Đức" in body
    assert "Vàng Seo Páo" not in body
    assert client.get(f"/people/{lb_person.pk}/").status_code == 404

def test_meta_subscription_challenge_is_echoed(meta):
    response = meta.get("/webhooks/whatsapp/", {
        "hub.mode": "subscribe", "hub.verify_token": "verify-me", "hub.challenge": "1158201444",
    })

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert response.content == b"1158201444"


def test_wrong_verify_token_is_forbidden(meta):
    response = meta.get("/webhooks/whatsapp/", {
        "hub.mode": "subscribe", "hub.verify_token": "guess", "hub.challenge": "1158201444",
    })

    assert response.status_code == 403
    assert b"1158201444" not in response.content

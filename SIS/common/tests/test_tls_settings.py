"""TLS in front (EWTTO_TLS=1): proxy https believed, secure cookies, HSTS, https origins; off by default."""
from sis_common import conf


def test_without_tls_only_secure_cookies_follow_their_switch(monkeypatch):
    monkeypatch.delenv("EWTTO_TLS", raising=False)
    monkeypatch.setenv("DJANGO_SECURE_COOKIES", "0")
    settings = conf.tls_settings(["shop.example.com"])
    assert settings["SECURE_PROXY_SSL_HEADER"] is None and settings["SECURE_HSTS_SECONDS"] == 0
    assert settings["SESSION_COOKIE_SECURE"] is False and settings["CSRF_TRUSTED_ORIGINS"] == []


def test_with_tls_everything_is_switched_on(monkeypatch):
    monkeypatch.setenv("EWTTO_TLS", "1")
    monkeypatch.setenv("DJANGO_SECURE_COOKIES", "0")  # TLS wins over a forgotten cookie switch
    settings = conf.tls_settings(["shop.example.com", "203.0.113.7", "*", ".example.com"])
    assert settings["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")
    assert settings["SESSION_COOKIE_SECURE"] and settings["CSRF_COOKIE_SECURE"]
    assert settings["SECURE_HSTS_SECONDS"] >= 180 * 86400
    assert settings["CSRF_TRUSTED_ORIGINS"] == ["https://shop.example.com", "https://203.0.113.7"]

"""Employees answering the round, for locust (started by bench/web.py, which writes the
links and the answers this file reads).

Each simulated employee takes an unused invitation link and goes through the round as a
person does: the link, the welcome page, every page (GET, then POST with answers and the
form's CSRF token, redirected to the next page), the review and the submit, pausing
WAIT_MIN–WAIT_MAX seconds before each step; then the same simulated user takes the next
link, as the next employee. The site is served over plain HTTP on
loopback with production settings, so the requests say they came through the HTTPS proxy
(X-Forwarded-Proto), and cookies (Secure) are kept by hand."""

import json
import os
import re
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

from locust import FastHttpUser, between, task
from locust.exception import StopUser

PLAN = json.loads(Path(os.environ["BENCH_PLAN"]).read_text())
LINKS = iter(PLAN["links"])
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Employee(FastHttpUser):
    wait_time = between(float(os.environ["WAIT_MIN"]), float(os.environ["WAIT_MAX"]))

    def on_start(self) -> None:
        self.origin = "https://" + self.host.split("://", 1)[1]

    def _request(self, method: str, path: str, name: str, **kwargs):
        headers = {
            "X-Forwarded-Proto": "https",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        body = None
        if method == "POST":
            headers |= {
                "Origin": self.origin,
                "Referer": self.origin + path,
                "Content-Type": "application/x-www-form-urlencoded",
            }
            body = urlencode(kwargs.pop("data"), doseq=True)
        with self.client.request(
            method,
            path,
            name=name,
            headers=headers,
            data=body,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            expected = 302 if method == "POST" or name == "link" else 200
            if response.status_code != expected:
                response.failure(f"{response.status_code}, not {expected}")
                raise StopUser
            for header in response.headers.get_all("Set-Cookie") or []:
                for morsel in SimpleCookie(header).values():
                    self.cookies[morsel.key] = morsel.value
            return response

    @task
    def answer_the_round(self) -> None:
        try:
            link = next(LINKS)
        except StopIteration:
            raise StopUser from None
        self.cookies: dict[str, str] = {}  # a new employee, a new browser
        self._request("GET", link, "link")
        self._request("GET", "/respond/", "welcome")
        self.wait()
        pages = PLAN["pages"]
        for number, answers in enumerate(pages, start=1):
            path = f"/respond/page/{number}/"
            page = self._request("GET", path, "page")
            self.wait()
            token = CSRF.search(page.text).group(1)
            self._request(
                "POST",
                path,
                "page submit",
                data={**answers, "action": "next", "csrfmiddlewaretoken": token},
            )
        review = self._request("GET", "/respond/review/", "review")
        self.wait()
        token = CSRF.search(review.text).group(1)
        self._request("POST", "/respond/review/", "submit", data={"csrfmiddlewaretoken": token})
        self._request("GET", "/respond/thanks/", "thanks")

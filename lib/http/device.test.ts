import assert from "node:assert/strict";
import { test } from "node:test";
import { isPhoneRequest } from "./device";

const ua = {
  androidPhone:
    "Mozilla/5.0 (Linux; Android 11; moto g power (2022)) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Mobile Safari/537.36",
  androidTablet: "Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36",
  iPhone:
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
  firefoxAndroid: "Mozilla/5.0 (Android 14; Mobile; rv:130.0) Gecko/130.0 Firefox/130.0",
  desktop: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36",
};

test("the client hint decides when a browser sends it", () => {
  assert.equal(isPhoneRequest(new Headers({ "sec-ch-ua-mobile": "?1", "user-agent": ua.desktop })), true);
  assert.equal(isPhoneRequest(new Headers({ "sec-ch-ua-mobile": "?0", "user-agent": ua.androidPhone })), false);
});

test("without the hint, phones' user agents (Safari, Firefox, Chrome) are phones and tablets are not", () => {
  for (const agent of [ua.androidPhone, ua.iPhone, ua.firefoxAndroid])
    assert.equal(isPhoneRequest(new Headers({ "user-agent": agent })), true, agent);
  for (const agent of [ua.androidTablet, ua.desktop]) assert.equal(isPhoneRequest(new Headers({ "user-agent": agent })), false, agent);
  assert.equal(isPhoneRequest(new Headers()), false);
});

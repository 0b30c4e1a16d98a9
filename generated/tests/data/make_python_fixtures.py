"""Regenerates python-signer-fixtures.json with JD Cloud's official signer.

    python3 -m venv /tmp/jdvenv && /tmp/jdvenv/bin/pip install jdcloud-sdk==1.6.354
    /tmp/jdvenv/bin/python make_python_fixtures.py > python-signer-fixtures.json

Each case is signed the way the Rust client signs: x-jdcloud-date, x-jdcloud-nonce and
(with temporary credentials) the base64 security token are present before signing. The
integration tests' independent verifier must reproduce every case before it is trusted to
check live requests.
"""
import base64
import json

from jdcloud_sdk.core.credential import Credential
from jdcloud_sdk.core.logger import get_default_logger
from jdcloud_sdk.core.signer import Signer

AK = "AKFIXTURE0000001"
SK = "SKFIXTURE00000000000000000000001"
DATE = "20260315T101112Z"
NONCE = "5f1c7a2e-8d3b-4c6a-9e0f-1a2b3c4d5e6f"

CASES = [
    ("describe_image_local_port", "GET",
     "http://127.0.0.1:8080/v1/regions/cn-north-1/images/img-m5s0p7ka2z", "", "cn-north-1", None, {}),
    ("hostile_path", "GET",
     "http://127.0.0.1:41234/v1/regions/cn-north-1/images/a%2Fb%3Fc%23d%25e%2Bf%20g%E4%B8%AD",
     "", "cn-north-1", None, {}),
    ("indexed_ids_and_paging", "GET",
     "http://127.0.0.1:8080/v1/regions/cn-east-2/images?ids.1=img-a&ids.2=img-b&pageNumber=2&pageSize=10&platform=Windows%20Server",
     "", "cn-east-2", None, {}),
    ("security_token_and_accept", "GET",
     "https://vm.jdcloud-api.com/v1/regions/cn-south-1/images/img-1",
     "", "cn-south-1", "temporary+token/with=chars", {"Accept": "application/json"}),
    ("post_body_no_region", "POST",
     "http://localhost:9000/v1/images:copy", '{"name":"n","tags":["中"]}', "jdcloud-api", None, {}),
]


def main():
    signer = Signer(get_default_logger())
    credential = Credential(AK, SK)
    out = {
        "about": "JDCLOUD3 signatures computed by jdcloud-sdk %s's Signer.sign with date, nonce "
                 "(and token) signed; regenerate with make_python_fixtures.py" % "1.6.354",
        "access_key": AK, "secret_key": SK, "date": DATE, "nonce": NONCE, "service": "vm",
        "cases": [],
    }
    for case_id, method, url, body, region, token, extra in CASES:
        headers = {"User-Agent": "JdcloudSdkPython/1.2.9 vm/1.6.1", "Content-Type": "application/json",
                   "x-jdcloud-date": DATE, "x-jdcloud-nonce": NONCE}
        headers.update(extra)
        if token:
            headers["x-jdcloud-security-token"] = base64.b64encode(token.encode()).decode()
        before = dict(headers)
        captured = {}
        original = signer._Signer__logger.log
        signer._Signer__logger.log = lambda level, msg: captured.setdefault(
            "cr" if "canonical_request" in str(msg) else ("sts" if "string_to_sign" in str(msg) else "other"), msg)
        signer.sign(method=method, service="vm", region=region, uri=url, headers=headers, data=body,
                    credential=credential, security_token=token or "")
        signer._Signer__logger.log = original
        out["cases"].append({
            "id": case_id, "method": method, "url": url, "body": body, "region": region,
            "security_token": token or "", "headers_before_signing": before,
            "canonical_request": captured["cr"].split("\n", 1)[1],
            "string_to_sign": captured["sts"].split("\n", 1)[1],
            "authorization": headers["Authorization"],
        })
    print(json.dumps(out, ensure_ascii=False, indent=1))


main()

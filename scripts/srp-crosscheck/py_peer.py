"""Peer for the SRP cross-check: pycognito's AWSSRP computes each vector itself.

stdin: one JSON object per line (the `vectors` example's input format, plus "device": true for
device vectors, or {"kind": "device_register", ...}); stdout: one JSON line each.
"""
import base64
import datetime
import json
import sys

import pycognito.aws_srp as aws_srp

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


class _FrozenClock:
    """Stands in for the datetime module inside pycognito so its TIMESTAMP is the vector's."""

    def __init__(self, moment):
        self.moment = moment
        self.datetime = self

    def utcnow(self):
        return self.moment


def parse_timestamp(text):
    _, month, day, clock, _, year = text.split(" ")
    hour, minute, second = (int(p) for p in clock.split(":"))
    return datetime.datetime(int(year), MONTHS.index(month) + 1, int(day), hour, minute, second)


def user_vector(v):
    srp = aws_srp.AWSSRP(
        username=v["user_id"],
        password=v["password"],
        pool_id="region_" + v["pool_name"],
        client_id="client",
        client=object(),
    )
    srp.small_a_value = int(v["a"], 16)
    srp.large_a_value = srp.calculate_a()
    aws_srp.datetime = _FrozenClock(parse_timestamp(v["timestamp"]))
    params = {
        "USER_ID_FOR_SRP": v["user_id"],
        "SALT": v["salt"],
        "SRP_B": v["srp_b"],
        "SECRET_BLOCK": v["secret_block"],
    }
    key = srp.get_password_authentication_key(
        v["user_id"], v["password"], int(v["srp_b"], 16), v["salt"]
    )
    response = srp.process_challenge(params, {"USERNAME": v["user_id"]})
    assert response["TIMESTAMP"] == v["timestamp"], response["TIMESTAMP"]
    return {
        "srp_a": format(srp.large_a_value, "x"),
        "key": bytes(key).hex(),
        "signature": response["PASSWORD_CLAIM_SIGNATURE"],
    }


def device_vector(v):
    srp = aws_srp.AWSSRP(
        username="unused",
        password="unused",
        pool_id="region_pool",
        client_id="client",
        client=object(),
        device_key=v["user_id"],
        device_group_key=v["pool_name"],
        device_password=v["password"],
    )
    srp.small_a_value = int(v["a"], 16)
    srp.large_a_value = srp.calculate_a()
    aws_srp.datetime = _FrozenClock(parse_timestamp(v["timestamp"]))
    key = srp.get_device_authentication_key(
        v["pool_name"], v["user_id"], v["password"], int(v["srp_b"], 16), v["salt"]
    )
    response = srp.process_device_challenge(
        {"USERNAME": "u", "SALT": v["salt"], "SRP_B": v["srp_b"], "SECRET_BLOCK": v["secret_block"]}
    )
    assert response["TIMESTAMP"] == v["timestamp"], response["TIMESTAMP"]
    return {
        "srp_a": format(srp.large_a_value, "x"),
        "key": bytes(key).hex(),
        "signature": response["PASSWORD_CLAIM_SIGNATURE"],
    }


def device_register(v):
    password, config = aws_srp.generate_hash_device(v["device_group_key"], v["device_key"])
    return {
        "device_password": password,
        "salt_hex": base64.b64decode(config["Salt"]).hex(),
        "verifier_hex": base64.b64decode(config["PasswordVerifier"]).hex(),
    }


def main():
    for line in sys.stdin:
        if not line.strip():
            continue
        v = json.loads(line)
        try:
            if v.get("kind") == "device_register":
                out = device_register(v)
            elif v.get("device"):
                out = device_vector(v)
            else:
                out = user_vector(v)
        except Exception as error:  # a refusal is an answer too: compared as "error"
            out = {"error": f"{type(error).__name__}: {error}"}
        sys.stdout.write(json.dumps(out) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()

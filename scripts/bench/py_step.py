"""Times pycognito's full client step (calculate_a + process_challenge) and GMP (gmpy2 doing the
same three modular exponentiations plus the hashing) on the vectors given as JSON lines on stdin.

usage: py_step.py pycognito|gmp ROUNDS
"""
import base64
import datetime
import hashlib
import hmac
import json
import sys
import time

import gmpy2
import pycognito.aws_srp as aws_srp

N = int(aws_srp.N_HEX, 16)
K = int(aws_srp.hex_hash("00" + aws_srp.N_HEX + "02"), 16)


def tb(n):
    length = max(1, (n.bit_length() + 8) // 8)
    return n.to_bytes(length, "big", signed=True)


def pycognito_step(v):
    srp = aws_srp.AWSSRP(username=v["user_id"], password=v["password"],
                         pool_id="r_" + v["pool_name"], client_id="c", client=object())
    srp.small_a_value = int(v["a"], 16)
    srp.large_a_value = srp.calculate_a()
    params = {"USER_ID_FOR_SRP": v["user_id"], "SALT": v["salt"], "SRP_B": v["srp_b"],
              "SECRET_BLOCK": v["secret_block"]}
    return srp.process_challenge(params, {"USERNAME": v["user_id"]})


GN, NN, KN = gmpy2.mpz(2), gmpy2.mpz(N), gmpy2.mpz(K)


def gmp_step(v):
    a = gmpy2.mpz(int(v["a"], 16))
    big_a = gmpy2.powmod(GN, a, NN)
    b = gmpy2.mpz(int(v["srp_b"], 16))
    u = int.from_bytes(hashlib.sha256(tb(int(big_a)) + tb(int(b))).digest(), "big")
    inner = hashlib.sha256(f"{v['pool_name']}{v['user_id']}:{v['password']}".encode()).digest()
    x = gmpy2.mpz(int.from_bytes(hashlib.sha256(tb(int(v["salt"], 16)) + inner).digest(), "big"))
    s = gmpy2.powmod((b - KN * gmpy2.powmod(GN, x, NN)) % NN, a + u * x, NN)
    prk = hmac.new(tb(u), tb(int(s)), hashlib.sha256).digest()
    key = hmac.new(prk, b"Caldera Derived Key\x01", hashlib.sha256).digest()[:16]
    msg = (v["pool_name"].encode() + v["user_id"].encode() + base64.b64decode(v["secret_block"])
           + v["timestamp"].encode())
    return base64.b64encode(hmac.new(key, msg, hashlib.sha256).digest())


def main():
    which, rounds = sys.argv[1], int(sys.argv[2])
    step = pycognito_step if which == "pycognito" else gmp_step
    vectors = [json.loads(line) for line in sys.stdin if line.strip()]
    samples = []
    for _ in range(rounds):
        for v in vectors:
            start = time.perf_counter()
            step(v)
            samples.append((time.perf_counter() - start) * 1e3)
    samples.sort()
    print(json.dumps({"median_ms": samples[len(samples) // 2], "samples": len(samples)}))


if __name__ == "__main__":
    main()

//! Property tests: the client and server roles agree on the key for any inputs, claims verify,
//! and tampering with any field of a claim is refused.

use proptest::prelude::*;
use srp_core::encoding::base64_decode_lenient;
use srp_core::{
    DeviceRegistration, PasswordVerifierChallenge, SrpClient, SrpError, SrpServer, Timestamp,
    Verifier,
};

fn name() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9äöü漢🙂_+.@-]{1,24}"
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, .. ProptestConfig::default() })]

    #[test]
    fn roles_agree_and_tampering_is_refused(
        realm in name(),
        identity in name(),
        password in "[ -~äöü🔑]{1,40}",
        a in proptest::collection::vec(any::<u8>(), 1..160),
        b in proptest::collection::vec(any::<u8>(), 1..40),
        salt in proptest::collection::vec(any::<u8>(), 1..20),
        block in proptest::collection::vec(any::<u8>(), 0..64),
        unix in 0i64..4_102_444_800,
        flip in any::<prop::sample::Index>(),
    ) {
        let salt_hex: String = salt.iter().map(|b| format!("{b:02x}")).collect();
        let verifier = Verifier::from_known_salt(&salt_hex, &realm, &identity, &password).unwrap();
        let server = match SrpServer::from_known_ephemeral(&verifier, &b) {
            Ok(server) => server,
            Err(SrpError::IllegalServerValue) => return Ok(()),
            Err(e) => panic!("{e}"),
        };
        let client = SrpClient::from_known_ephemeral(&a).unwrap();
        let secret_block = srp_core::encoding::base64_encode(&block);
        let challenge = PasswordVerifierChallenge {
            salt: &verifier.salt_hex(),
            srp_b: server.srp_b(),
            secret_block: &secret_block,
        };
        let timestamp = Timestamp::from_unix_seconds(unix).unwrap();
        let claim = client
            .user_password_claim(&realm, &identity, &password, &challenge, &timestamp)
            .unwrap();
        let client_key = client
            .session_key(&realm, &identity, &password, challenge.salt, challenge.srp_b)
            .unwrap();
        let server_key = server.session_key(client.srp_a()).unwrap();
        prop_assert_eq!(client_key.expose(), server_key.expose());
        let decoded = base64_decode_lenient(&claim.secret_block);
        prop_assert_eq!(&decoded, &block);
        let verify = |realm: &str, identity: &str, block: &[u8], ts: &str, sig: &str| {
            server.verify_claim(client.srp_a(), realm, identity, block, ts, sig)
        };
        prop_assert_eq!(verify(&realm, &identity, &decoded, &claim.timestamp, &claim.signature), Ok(()));

        // Tampering with any one field fails.
        let mut sig = base64_decode_lenient(&claim.signature);
        let i = flip.index(sig.len());
        sig[i] ^= 1;
        let bad_sig = srp_core::encoding::base64_encode(&sig);
        prop_assert_eq!(verify(&realm, &identity, &decoded, &claim.timestamp, &bad_sig), Err(SrpError::SignatureMismatch));
        let mut bad_block = decoded.clone();
        bad_block.push(0);
        prop_assert_eq!(verify(&realm, &identity, &bad_block, &claim.timestamp, &claim.signature), Err(SrpError::SignatureMismatch));
        let later = Timestamp::from_unix_seconds(unix + 1).unwrap();
        prop_assert_eq!(verify(&realm, &identity, &decoded, later.as_str(), &claim.signature), Err(SrpError::SignatureMismatch));
        prop_assert_eq!(verify(&format!("{realm}x"), &identity, &decoded, &claim.timestamp, &claim.signature), Err(SrpError::SignatureMismatch));
        prop_assert_eq!(verify(&realm, &format!("{identity}x"), &decoded, &claim.timestamp, &claim.signature), Err(SrpError::SignatureMismatch));
        let wrong = client
            .user_password_claim(&realm, &identity, &format!("{password}x"), &challenge, &timestamp)
            .unwrap();
        prop_assert_eq!(verify(&realm, &identity, &decoded, &wrong.timestamp, &wrong.signature), Err(SrpError::SignatureMismatch));
        // Another client's A with this claim: refused.
        let other = SrpClient::new().unwrap();
        prop_assert_eq!(
            server.verify_claim(other.srp_a(), &realm, &identity, &decoded, &claim.timestamp, &claim.signature),
            Err(SrpError::SignatureMismatch)
        );
    }

    #[test]
    fn device_registration_round_trips(
        group in name(),
        device in name(),
        password in "[A-Za-z0-9+/]{8,56}",
        salt in proptest::collection::vec(any::<u8>(), 1..20),
    ) {
        let registration = DeviceRegistration::from_known_values(&group, &device, &password, &salt).unwrap();
        let verifier = Verifier::from_device_config(registration.password_verifier(), registration.salt()).unwrap();
        prop_assert_eq!(verifier.password_verifier_base64(), registration.password_verifier());
        let server = SrpServer::new(&verifier).unwrap();
        let client = SrpClient::new().unwrap();
        let salt_hex = verifier.salt_hex();
        let challenge = PasswordVerifierChallenge { salt: &salt_hex, srp_b: server.srp_b(), secret_block: "AQID" };
        let ts = Timestamp::now().unwrap();
        let claim = client.device_password_claim(&group, &device, &password, &challenge, &ts).unwrap();
        prop_assert_eq!(
            server.verify_claim(client.srp_a(), &group, &device, &[1, 2, 3], &claim.timestamp, &claim.signature),
            Ok(())
        );
    }

    #[test]
    fn hostile_challenge_text_never_panics(salt in ".{0,80}", srp_b in ".{0,80}", block in ".{0,80}") {
        let client = SrpClient::from_known_ephemeral(&[7; 128]).unwrap();
        let challenge = PasswordVerifierChallenge { salt: &salt, srp_b: &srp_b, secret_block: &block };
        let ts = Timestamp::from_unix_seconds(0).unwrap();
        let _ = client.user_password_claim("pool", "user", "pw", &challenge, &ts);
        let _ = Timestamp::parse(&salt);
        let _ = Verifier::from_device_config(&salt, &srp_b);
    }
}

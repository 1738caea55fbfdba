// USER_SRP_AUTH with amazon-cognito-identity-js (authenticateUser, endpoint pointed at the
// emulator); a wrong password; then a remembered device and a second login with device SRP.
// usage: node js_login.js ENDPOINT POOL_ID CLIENT_ID USERNAME PASSWORD   (NODE_PATH = node_modules)
'use strict';
const {
  CognitoUserPool, CognitoUser, AuthenticationDetails,
} = require('amazon-cognito-identity-js');

const [endpoint, poolId, clientId, username, password] = process.argv.slice(2);
const pool = new CognitoUserPool({ UserPoolId: poolId, ClientId: clientId, endpoint });

function login(pw) {
  const user = new CognitoUser({ Username: username, Pool: pool });
  const details = new AuthenticationDetails({ Username: username, Password: pw });
  return new Promise((resolve, reject) => {
    user.authenticateUser(details, {
      onSuccess: (session, userConfirmationNecessary) =>
        resolve({ user, session, userConfirmationNecessary }),
      onFailure: reject,
      newPasswordRequired: () => reject(new Error('unexpected NEW_PASSWORD_REQUIRED')),
      mfaRequired: () => reject(new Error('unexpected MFA')),
    });
  });
}

function remember(user) {
  return new Promise((resolve, reject) => {
    user.setDeviceStatusRemembered({ onSuccess: resolve, onFailure: reject });
  });
}

function check(cond, what) {
  if (!cond) { throw new Error('check failed: ' + what); }
}

(async () => {
  const first = await login(password);
  const access = first.session.getAccessToken().decodePayload();
  check(access.token_use === 'access' && access.username === username, 'access token claims');
  check(first.session.getIdToken().decodePayload()['cognito:username'] === username, 'id token');
  console.log('SRP_LOGIN_OK');

  let refused = null;
  try { await login('Wrong-Passw0rd'); } catch (e) { refused = e; }
  check(refused && refused.code === 'NotAuthorizedException', 'wrong password refused: ' + (refused && refused.code));
  console.log('WRONG_PASSWORD:' + refused.code);

  if (process.env.EXPECT_DEVICE === '1') {
    check(first.userConfirmationNecessary === true, 'device confirmation asked');
    check(first.user.deviceKey, 'device key cached after ConfirmDevice');
    await remember(first.user);
    const second = await login(password);
    const claims = second.session.getAccessToken().decodePayload();
    check(claims.device_key === first.user.deviceKey, 'device_key claim after device SRP');
    console.log('DEVICE_LOGIN_OK:' + claims.device_key);
  }
})().catch((e) => {
  console.error('FAILED:', e && (e.code || ''), e && (e.message || e));
  process.exit(1);
});

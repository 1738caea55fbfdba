// Signs in with SRP the way a browser app does with amazon-cognito-identity-js, against the
// emulator named in the query string (another origin, so every call is a CORS request), and
// writes what happened into #result for the test to read.
import { AuthenticationDetails, CognitoUser, CognitoUserPool } from 'amazon-cognito-identity-js';

const query = new URLSearchParams(location.search);
const pool = new CognitoUserPool({
  UserPoolId: query.get('pool'),
  ClientId: query.get('client'),
  endpoint: query.get('endpoint'),
});

function signIn(username, password) {
  return new Promise((resolve) => {
    const user = new CognitoUser({ Username: username, Pool: pool });
    user.setAuthenticationFlowType('USER_SRP_AUTH');
    user.authenticateUser(new AuthenticationDetails({ Username: username, Password: password }), {
      onSuccess: (session) => resolve({
        ok: true,
        username: session.getIdToken().payload['cognito:username'],
        tokenUse: session.getAccessToken().payload.token_use,
      }),
      onFailure: (err) => resolve({ ok: false, code: err.code || err.name, message: err.message }),
      newPasswordRequired: () => resolve({ ok: false, code: 'NEW_PASSWORD_REQUIRED' }),
    });
  });
}

(async () => {
  const good = await signIn(query.get('user'), query.get('password'));
  const wrong = await signIn(query.get('user'), 'Wrong-Passw0rd');
  document.getElementById('result').textContent =
    JSON.stringify({ good, wrong, origin: location.origin });
})().catch((e) => {
  document.getElementById('result').textContent = JSON.stringify({ error: String(e) });
});

/** Basic authentication per merchant, the credentials in use (re-read on SIGHUP), and the limits on logins and requests. */
export { authMiddleware } from './auth-middleware';
export { hashPassword } from './authenticator';
export { CredentialStore } from './credential-store';
export { LOGIN_REFUSAL_REASONS, type LoginRefusal, type LoginRefusalReason } from './login-refusal';
export { rereadCredentials } from './reread-credentials';

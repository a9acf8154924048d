/** Basic authentication per merchant, and the limits on logins and requests. */
export { authMiddleware } from './auth-middleware';
export { hashPassword } from './authenticator';
export { LOGIN_REFUSAL_REASONS, type LoginRefusal, type LoginRefusalReason } from './login-refusal';

/**
 * The console's security headers: one definition for the CloudFront response-headers policy
 * (infra) and the local gateway (local/console.ts). No inline scripts are allowed; the app's own
 * origin, Cognito and the upload bucket are the only places its pages may call.
 */
export function consoleSecurityHeaders(connectOrigins: readonly string[]): Readonly<Record<string, string>> {
  return {
    'content-security-policy': consoleCsp(connectOrigins),
    'strict-transport-security': 'max-age=63072000; includeSubDomains',
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'strict-origin-when-cross-origin',
  };
}

/** The Content-Security-Policy of every console page. */
export function consoleCsp(connectOrigins: readonly string[]): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    // Inline styles only (never scripts): the email previews are the mail's own HTML, styled inline.
    "style-src 'self' 'unsafe-inline'",
    "font-src 'self'",
    "img-src 'self' data:",
    `connect-src ${["'self'", ...connectOrigins].join(' ')}`,
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "object-src 'none'",
  ].join('; ');
}

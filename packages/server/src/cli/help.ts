import { storeHelp } from "./open-engine.js"

/** Usage text of each `civicase` command. */
export const help = {
  main: `civicase: workflow and case management for provincial government work

Usage: civicase <command> [options]

Commands:
  serve             run the HTTP API, live feed and dashboard
  migrate           apply pending database migrations
  check-config      check a province configuration file, listing every error by path
  verify            recompute every case's history hash chain
  apply-succession  hand retired agencies' parts of open cases to their successors
  report            print the periodic SLA report (báo cáo định kỳ) as Markdown
  config            apply a new province configuration version without a restart; list the versions
  cases             move running cases to a new workflow version (cases migrate)

Run "civicase <command> --help" for a command's options.`,
  serve: `Usage: civicase serve [options]

Runs the HTTP API (docs/http-api.md), the websocket feed at /v1/live and the dashboard at /.

Options:
  --province FILE        province configuration (default: the shipped Vĩnh Phúc file)
${storeHelp}
  --port N               port to listen on (default 3000; 0 picks a free one)
  --host HOST            address to listen on (default 127.0.0.1)
  --dev                  local demo: mint tokens at POST /v1/dev/token (random per-process secret)
  --jwks-url URL         verify tokens with this JSON Web Key Set
  --jwt-public-key FILE  verify tokens with this PEM public key
  --jwt-algorithms LIST  accepted algorithms, comma-separated (default RS256; HS256 with CIVICASE_JWT_SECRET)
  --jwt-issuer ISS       required "iss" claim (required without --dev)
  --jwt-audience AUD     required "aud" claim (default civicase)
  --jwt-max-age SECONDS  refuse tokens issued ("iat") longer ago (default 86400)
  --cors-origin ORIGIN   allow a browser origin (repeatable)
  --log-level LEVEL      fatal, error, warn, info (default), debug
  --integration FILE     webhook subscriptions, links with other deployments, document exchange (docs/integration.md)
  --allow-private-target CIDR
                         let webhooks and links reach this private or loopback address or range (repeatable)
  --notifications FILE   who is told what, and by email, webhook or the live feed (docs/notifications.md);
                         default notifications.json next to --province, if there is one. The SMTP URL is
                         read from CIVICASE_SMTP_URL (or the variable the file names), never from the file
  --oidc-issuer URL      sign people in through this OpenID Connect provider (https; code with PKCE)
  --oidc-client-id ID    the client id the provider gave civicase (secret: CIVICASE_OIDC_CLIENT_SECRET)
  --oidc-redirect-uri URL
                         this server's /auth/oidc/callback as the provider knows it
  --oidc-scope SCOPES    scopes asked for (default "openid profile")
  --oidc-agency-claim C  the claim holding the agency id (default agency); also --oidc-roles-claim
                         (default roles) and --oidc-province-claim (default province)
  -h, --help             this text

Without --dev, --jwt-issuer and one of --jwks-url, --jwt-public-key or the
environment variable CIVICASE_JWT_SECRET (at least 32 bytes, HS256) are required, unless
--oidc-issuer is given (then only the provider's sign-ins are accepted). The secret is read
from the environment only, so that it never shows in the process list; so are link peers' secrets
(the integration file names their variables).`,
  migrate: `Usage: civicase migrate [--database-url URL | --data-dir DIR]

Applies pending migrations and prints the versions applied.

Options:
${storeHelp}`,
  "check-config": `Usage: civicase check-config FILE [--as-of DATE]

Checks a province configuration against the schema and its cross-references.
Prints every problem as "path: message" and exits 1 when there is any.

A valid file may still get warnings (on stderr, marked "warning"; the exit
code stays 0): a year from DATE (default today) to the next one without its
yearly calendar decision (deadlines reaching into it are counted on the rules
alone and flagged as provisional), a year the calendar knows no holiday of,
and a file that does not say which of its numbers cite a source.

Options:
  --as-of DATE           look ahead from this date instead of today (YYYY-MM-DD)`,
  verify: `Usage: civicase verify [--database-url URL | --data-dir DIR] [--province FILE]

Recomputes every case's history hash chain, with progress on stderr. Exits 1
and lists each broken case and its first bad rev when any chain is broken.
It never migrates: a database without civicase's tables exits 1 and says so.

Options:
${storeHelp}
  --province FILE        province configuration (default: the shipped Vĩnh Phúc file)`,
} as const

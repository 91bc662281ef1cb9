/// The OpenAPI description served at `/openapi.yaml`: docs/openapi.yaml, embedded by `make openapi`.
enum OpenAPIDocument {
    /// The YAML text.
    static let yaml = #"""
        openapi: 3.1.0
        info:
          title: tumulte
          version: 0.1.0
          summary: One poll across many Twitch channels, counted once, with live overlays.
          description: |
            The HTTP interface of the tumulte daemon: health probes and metrics for orchestrators, the GM API
            under `/api/v1` (bearer API keys from `tumulte apikey create`), the overlay pages and their
            Server-Sent Events, and the streamers' Twitch sign-in.

            Conventions of the GM API:
            - JSON bodies; request bodies over 64 KiB are refused with 413.
            - Timestamps are RFC 3339 UTC with milliseconds, e.g. `2026-11-29T13:05:00.123Z`.
            - Ids are lowercase UUID strings.
            - Every error is `{"error":{"code","message","fields"}}`; `fields` only for validation and conflicts.
            - `tumulte channel …` and `tumulte poll …` are command-line clients of these routes.
            - Pages on the origin of `FRONTEND_URL`, and no other origin, may call it from a browser (CORS):
              preflights are answered 204 with `GET, POST, DELETE` and the headers `Authorization`, `Content-Type`,
              `Idempotency-Key` and `Last-Event-ID`; answers, errors included, expose `Retry-After`,
              `Idempotent-Replayed` and `Location`. No credentials: the key travels in `Authorization`.

            This document is served by the daemon at `/openapi.yaml`.
          license:
            name: See the repository
            identifier: LicenseRef-tumulte
        servers:
          - url: http://localhost:3333
            description: The daemon on its default port (`PORT`, `HOST`).
        tags:
          - name: health
            description: Probes for Docker, Kubernetes or Dokploy, and metrics.
          - name: channels
            description: Streamer channels and their overlay URLs (GM API).
          - name: polls
            description: Start, follow, end and cancel polls (GM API).
          - name: overlay
            description: The OBS browser-source page of a channel and its live feed.
          - name: auth
            description: Twitch account connections (streamers for native polls, the bot for chat) and EventSub deliveries.
          - name: meta
            description: This document and the calling key.
        security:
          - bearerAuth: []
        paths:
          /health:
            get:
              tags: [health]
              operationId: getHealth
              summary: Overall status of the daemon and its services
              description: Always 200 while the process serves HTTP; `status` is `degraded` when PostgreSQL or Redis is unreachable.
              security: []
              responses:
                '200':
                  description: The status of every service.
                  content:
                    application/json:
                      schema:
                        $ref: '#/components/schemas/Health'
          /health/ready:
            get:
              tags: [health]
              operationId: getReadiness
              summary: Readiness probe
              description: 200 when PostgreSQL (schema migrated) and Redis both answer within 1 s; 503 naming the one that does not.
              security: []
              responses:
                '200':
                  description: Ready to serve.
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [status]
                        properties:
                          status:
                            const: ready
                '503':
                  description: PostgreSQL or Redis is unreachable; recovers by itself.
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [status, services]
                        properties:
                          status:
                            const: not ready
                          services:
                            type: object
                            required: [database, redis]
                            properties:
                              database:
                                type: boolean
                              redis:
                                type: boolean
          /health/live:
            get:
              tags: [health]
              operationId: getLiveness
              summary: Liveness probe
              security: []
              responses:
                '200':
                  description: The process serves HTTP.
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [status]
                        properties:
                          status:
                            const: alive
          /metrics:
            get:
              tags: [health]
              operationId: getMetrics
              summary: Prometheus metrics
              description: Prometheus text exposition format. Needs `Authorization Bearer <METRICS_TOKEN>` only when `METRICS_TOKEN` is set.
              security:
                - {}
                - metricsToken: []
              responses:
                '200':
                  description: The metrics.
                  content:
                    text/plain:
                      schema:
                        type: string
                      example: |
                        # TYPE tumulte_votes_total counter
                        tumulte_votes_total{outcome="counted"} 42
                '401':
                  $ref: '#/components/responses/Unauthorized'
          /openapi.yaml:
            get:
              tags: [meta]
              operationId: getOpenAPI
              summary: This document
              security: []
              responses:
                '200':
                  description: The OpenAPI document of this daemon.
                  content:
                    application/yaml:
                      schema:
                        type: string
          /api/v1/whoami:
            get:
              tags: [meta]
              operationId: whoAmI
              summary: The API key making the request
              responses:
                '200':
                  description: The key's id and name (never the key).
                  content:
                    application/json:
                      schema:
                        $ref: '#/components/schemas/WhoAmI'
                '401':
                  $ref: '#/components/responses/Unauthorized'
                '403':
                  $ref: '#/components/responses/Forbidden'
                '503':
                  $ref: '#/components/responses/ServiceUnavailable'
                '500':
                  $ref: '#/components/responses/InternalError'
          /api/v1/channels:
            post:
              tags: [channels]
              operationId: addChannel
              summary: Register a channel
              description: |
                The login is case-folded. Answers 201 with the new channel, or 200 with the existing one when it is
                already registered (so the call is safe to repeat). The channel carries its overlay URL.
              requestBody:
                required: true
                content:
                  application/json:
                    schema:
                      type: object
                      required: [login]
                      properties:
                        login:
                          type: string
                          description: A Twitch login, 4 to 25 of `[a-z0-9_]` after case-folding.
                          examples: [AlphaGM]
              responses:
                '201':
                  description: The channel was registered.
                  content:
                    application/json:
                      schema:
                        $ref: '#/components/schemas/Channel'
                '200':
                  description: The channel was already registered; it is returned unchanged.
                  content:
                    application/json:
                      schema:
                        $ref: '#/components/schemas/Channel'
                '400':
                  $ref: '#/components/responses/BadRequest'
                '401':
                  $ref: '#/components/responses/Unauthorized'
                '403':
                  $ref: '#/components/responses/Forbidden'
                '413':
                  $ref: '#/components/responses/ContentTooLarge'
                '422':
                  $ref: '#/components/responses/ValidationFailed'
                '503':
                  $ref: '#/components/responses/ServiceUnavailable'
                '500':
                  $ref: '#/components/responses/InternalError'
            get:
              tags: [channels]
              operationId: listChannels
              summary: List the channels
              responses:
                '200':
                  description: Every channel, sorted by login.
                  content:
                    application/json:
                      schema:
                        $ref: '#/components/schemas/ChannelList'
                '401':
                  $ref: '#/components/responses/Unauthorized'
                '403':
                  $ref: '#/components/responses/Forbidden'
                '503':
                  $ref: '#/components/responses/ServiceUnavailable'
                '500':
                  $ref: '#/components/responses/InternalError'
          /api/v1/channels/{login}:
            parameters:
              - $ref: '#/components/parameters/Login'
            delete:
              tags: [channels]
              operationId: removeChannel
              summary: Remove a channel
              description: Its history stays; a running poll that uses it keeps counting until it ends.
              responses:
                '204':
                  description: Removed.
                '401':
                  $ref: '#/components/responses/Unauthorized'
                '403':
                  $ref: '#/components/responses/Forbidden'
                '404':
                  $ref: '#/components/responses/NotFound'
                '503':
                  $ref: '#/components/responses/ServiceUnavailable'
                '500':
                  $ref: '#/components/responses/InternalError'
          /api/v1/channels/{login}/overlay-token:
            parameters:
              - $ref: '#/components/parameters/Login'
            post:
              tags: [channels]
              operationId: rotateOverlayToken
              summary: Rotate the channel's overlay URL
              description: The channel gets a new overlay token; the old URL stops working at once.
              responses:
                '200':
                  description: The channel with its new `overlayUrl`.
                  content:
                    application/json:
                      schema:
                        $ref: '#/components/schemas/Channel'
                '401':
                  $ref: '#/components/responses/Unauthorized'
                '403':
                  $ref: '#/components/responses/Forbidden'
                '404':
                  $ref: '#/components/responses/NotFound'
                '503':
                  $ref: '#/components/responses/ServiceUnavailable'
                '500':
                  $ref: '#/components/responses/InternalError'
          /api/v1/polls:
            post:
              tags: [polls]
              operationId: startPoll
              summary: Start a poll
              description: |
                Starts a poll in every listed channel. With an `Idempotency-Key`, a retry with the same key and the
                same body answers 200 with the same poll and `Idempotent-Replayed: true`; the same key with another
                body is refused with 409 `idempotency_key_reused`. 409 `channel_busy` names each channel already in
                a running poll (`fields` key `channels.<login>`). Each API key may start 20 polls per minute (429
                beyond); a retry answered from its `Idempotency-Key` is not counted.
              parameters:
                - $ref: '#/components/parameters/IdempotencyKey'
              requestBody:
                required: true
                content:
                  application/json:
                    schema:
                      $ref: '#/components/schemas/PollDraft'
              responses:
                '201':
                  description: The poll was started.
                  content:
                    application/json:
                      schema:
                        $ref: '#/components/schemas/Poll'
                '200':
                  description: A replay of an earlier request with the same `Idempotency-Key` and body.
                  headers:
                    Idempotent-Replayed:
                      $ref: '#/components/headers/IdempotentReplayed'
                  content:
                    application/json:
                      schema:
                        $ref: '#/components/schemas/Poll'
                '400':
                  $ref: '#/components/responses/BadRequest'
                '401':
                  $ref: '#/components/responses/Unauthorized'
                '403':
                  $ref: '#/components/responses/Forbidden'
                '409':
                  $ref: '#/components/responses/Conflict'
                '413':
                  $ref: '#/components/responses/ContentTooLarge'
                '422':
                  $ref: '#/components/responses/ValidationFailed'
                '429':
                  $ref: '#/components/responses/TooManyRequests'
                '503':
                  $ref: '#/components/responses/ServiceUnavailable'
                '500':
                  $ref: '#/components/responses/InternalError'
            get:
              tags: [polls]
              operationId: listPolls
              summary: Poll history, newest first
              parameters:
                - name: status
                  in: query
                  required: false
                  schema:
                    $ref: '#/components/schemas/PollStatus'
                - name: limit
                  in: query
                  required: false
                  schema:
                    type: integer
                    minimum: 1
                    maximum: 100
                    default: 20
                - name: cursor
                  in: query
                  required: false
                  description: The `nextCursor` of the previous page (opaque).
                  schema:
                    type: string
              responses:
                '200':
                  description: One page of polls.
                  content:
                    application/json:
                      schema:
                        $ref: '#/components/schemas/PollPage'
                '401':
                  $ref: '#/components/responses/Unauthorized'
                '403':
                  $ref: '#/components/responses/Forbidden'
                '422':
                  $ref: '#/components/responses/ValidationFailed'
                '503':
                  $ref: '#/components/responses/ServiceUnavailable'
                '500':
                  $ref: '#/components/responses/InternalError'
          /api/v1/polls/{id}:
            parameters:
              - $ref: '#/components/parameters/PollId'
            get:
              tags: [polls]
              operationId: getPoll
              summary: A poll with its tally
              description: The live tally while the poll runs, the final one after.
              responses:
                '200':
                  description: The poll.
                  content:
                    application/json:
                      schema:
                        $ref: '#/components/schemas/Poll'
                '401':
                  $ref: '#/components/responses/Unauthorized'
                '403':
                  $ref: '#/components/responses/Forbidden'
                '404':
                  $ref: '#/components/responses/NotFound'
                '503':
                  $ref: '#/components/responses/ServiceUnavailable'
                '500':
                  $ref: '#/components/responses/InternalError'
          /api/v1/polls/{id}/end:
            parameters:
              - $ref: '#/components/parameters/PollId'
            post:
              tags: [polls]
              operationId: endPoll
              summary: End a running poll now
              description: Voting closes now and the results are kept. 202 when the final results are still being written (status `ending`).
              responses:
                '200':
                  description: The poll, status `ended`, with its final tally.
                  content:
                    application/json:
                      schema:
                        $ref: '#/components/schemas/Poll'
                '202':
                  description: The poll, status `ending`; finalisation is still retrying.
                  content:
                    application/json:
                      schema:
                        $ref: '#/components/schemas/Poll'
                '401':
                  $ref: '#/components/responses/Unauthorized'
                '403':
                  $ref: '#/components/responses/Forbidden'
                '404':
                  $ref: '#/components/responses/NotFound'
                '409':
                  $ref: '#/components/responses/Conflict'
                '503':
                  $ref: '#/components/responses/ServiceUnavailable'
                '500':
                  $ref: '#/components/responses/InternalError'
          /api/v1/polls/{id}/cancel:
            parameters:
              - $ref: '#/components/parameters/PollId'
            post:
              tags: [polls]
              operationId: cancelPoll
              summary: Cancel a running poll
              description: >-
                The poll stops counting; its tally is kept and no winner is announced. 202 when the result is still
                being written (status `ending`).
              responses:
                '200':
                  description: The poll, status `cancelled`.
                  content:
                    application/json:
                      schema:
                        $ref: '#/components/schemas/Poll'
                '202':
                  description: The poll, status `ending`; finalisation is still retrying.
                  content:
                    application/json:
                      schema:
                        $ref: '#/components/schemas/Poll'
                '401':
                  $ref: '#/components/responses/Unauthorized'
                '403':
                  $ref: '#/components/responses/Forbidden'
                '404':
                  $ref: '#/components/responses/NotFound'
                '409':
                  $ref: '#/components/responses/Conflict'
                '503':
                  $ref: '#/components/responses/ServiceUnavailable'
                '500':
                  $ref: '#/components/responses/InternalError'
          /api/v1/polls/{id}/events:
            parameters:
              - $ref: '#/components/parameters/PollId'
              - $ref: '#/components/parameters/LastEventId'
            get:
              tags: [polls]
              operationId: pollEvents
              summary: The GM's live feed of a poll (Server-Sent Events)
              description: |
                `retry: 2000` first, then the current snapshot, then `poll.start`, `poll.tally` (at most one per
                100 ms) and `poll.end` events, each with `id: <pollId>:<version>`; every 15 s a heartbeat: a `: ping` comment
                and an `event: ping` with `data: {}` and no `id`.
                The `data` of each event is one JSON object: `PollStartEvent`, `PollTallyEvent` or `PollEndEvent`.
                A client that reads too slowly is disconnected.
              responses:
                '200':
                  $ref: '#/components/responses/EventStream'
                '401':
                  $ref: '#/components/responses/Unauthorized'
                '403':
                  $ref: '#/components/responses/Forbidden'
                '404':
                  $ref: '#/components/responses/NotFound'
                '503':
                  $ref: '#/components/responses/ServiceUnavailable'
                '500':
                  $ref: '#/components/responses/InternalError'
          /overlay/{token}:
            parameters:
              - $ref: '#/components/parameters/OverlayToken'
            get:
              tags: [overlay]
              operationId: getOverlay
              summary: The overlay page of a channel (issue 5)
              description: >-
                An HTML page for an OBS browser source, served with an ETag (`304` on `If-None-Match`). An unknown or
                rotated token gets 404 and nothing else.
              security: []
              responses:
                '200':
                  description: The page.
                  content:
                    text/html:
                      schema:
                        type: string
                '304':
                  description: The page has not changed since the ETag given in `If-None-Match`.
                '404':
                  $ref: '#/components/responses/NotFound'
          /overlay/{token}/events:
            parameters:
              - $ref: '#/components/parameters/OverlayToken'
              - $ref: '#/components/parameters/LastEventId'
            get:
              tags: [overlay]
              operationId: overlayEvents
              summary: The overlay's live feed (Server-Sent Events, issue 5)
              description: |
                The same events as `/api/v1/polls/{id}/events`, for whichever poll runs in the token's channel; only
                that channel's polls are ever sent. An unknown or rotated token gets 404.
              security: []
              responses:
                '200':
                  $ref: '#/components/responses/EventStream'
                '404':
                  $ref: '#/components/responses/NotFound'
          /dashboard:
            get:
              tags: [overlay]
              operationId: getDashboard
              summary: The GM dashboard page (issue 7)
              description: |
                A self-contained HTML page for a GM without a frontend of their own: it asks for an API key once (kept in
                the tab's `sessionStorage`), lists channels and polls, starts a poll, follows it over
                `/api/v1/polls/{id}/events` and ends or cancels it. The page is public; its API calls carry the key.
                Served with an ETag (`304` on `If-None-Match`) and a content security policy that allows nothing from
                another origin.
              security: []
              responses:
                '200':
                  description: The page.
                  content:
                    text/html:
                      schema:
                        type: string
                '304':
                  description: The page has not changed since the ETag given in `If-None-Match`.
          /auth/twitch:
            get:
              tags: [auth]
              operationId: twitchAuthorize
              summary: Start connecting a streamer's Twitch account
              description: |
                Redirects to Twitch's authorize page (`TWITCH_AUTH_URL`) with a signed, expiring (10 minutes), single-use
                `state` and the scopes `channel:read:polls channel:manage:polls` (`chat:read chat:edit` with `role=bot`).
                With `SESSION_DRIVER=cookie` the state is bound to this browser by an HttpOnly cookie; with
                `SESSION_DRIVER=redis` it is recorded in Redis and works once across every instance. No API key: the
                streamer's browser comes here. Only channels the GM has added can be connected.
              security: []
              parameters:
                - name: role
                  in: query
                  required: false
                  description: >-
                    `broadcaster` (the default): a streamer connects their channel for native polls. `bot`: connects the
                    account that tumulte reads chat as and that announces polls and their results in chat; every daemon
                    logs chat in as it within 30 s.
                  schema:
                    type: string
                    enum: [broadcaster, bot]
              responses:
                '302':
                  description: To Twitch's authorize page.
                  headers:
                    Location:
                      description: The Twitch authorize URL.
                      schema:
                        type: string
                        format: uri
                    Set-Cookie:
                      description: The state cookie (`SESSION_DRIVER=cookie` only).
                      schema:
                        type: string
                '400':
                  description: An unsupported `role` (an HTML page says so).
                  content:
                    text/html:
                      schema:
                        type: string
                '503':
                  description: No Twitch application is configured (an HTML page names the variables to set).
                  content:
                    text/html:
                      schema:
                        type: string
          /auth/twitch/callback:
            get:
              tags: [auth]
              operationId: twitchCallback
              summary: Twitch's OAuth callback
              description: |
                Checks `state` (signature in constant time, expiry, single use), exchanges the code, validates the token
                (its client id and scopes), looks the user up, then records the account on the channel the GM added (by
                Twitch user id, else login) and stores both tokens sealed with AES-GCM. A bot connection (`role=bot` in
                the state) stores the bot account's tokens instead and always answers 200 with a page ("Bot connected"),
                whatever `FRONTEND_URL` says. Every failure shows an HTML page with a sentence and changes nothing.
              security: []
              parameters:
                - name: code
                  in: query
                  required: false
                  schema:
                    type: string
                - name: state
                  in: query
                  required: true
                  schema:
                    type: string
                - name: scope
                  in: query
                  required: false
                  schema:
                    type: string
                - name: error
                  in: query
                  required: false
                  description: Set by Twitch when the streamer declined.
                  schema:
                    type: string
                - name: error_description
                  in: query
                  required: false
                  schema:
                    type: string
              responses:
                '200':
                  description: >-
                    A channel connected, when no `FRONTEND_URL` is set (the page shows the channel's overlay URL), or a bot
                    account connected (chat is read as it within 30 s).
                  content:
                    text/html:
                      schema:
                        type: string
                '303':
                  description: A channel connected; back to `FRONTEND_URL` with `?connected=<login>`.
                  headers:
                    Location:
                      description: The front-end URL.
                      schema:
                        type: string
                        format: uri
                '400':
                  description: >-
                    A bad, expired, already used or foreign state; declined consent; a refused code; missing scopes (an HTML
                    page says which).
                  content:
                    text/html:
                      schema:
                        type: string
                '403':
                  description: The account's channel is not in the GM's channel list (an HTML page says so).
                  content:
                    text/html:
                      schema:
                        type: string
                '502':
                  description: Twitch failed to answer (an HTML page says so).
                  content:
                    text/html:
                      schema:
                        type: string
                '503':
                  description: No Twitch application is configured.
                  content:
                    text/html:
                      schema:
                        type: string
          /eventsub/webhook:
            post:
              tags: [auth]
              operationId: eventSubWebhook
              summary: Twitch's EventSub deliveries (EVENTSUB_TRANSPORT=webhook)
              description: |
                Only with `EVENTSUB_TRANSPORT=webhook` and a Twitch application; otherwise 404. The HMAC-SHA256 of
                `Twitch-Eventsub-Message-Id + Twitch-Eventsub-Message-Timestamp + raw body` under
                `EVENTSUB_WEBHOOK_SECRET` must match `Twitch-Eventsub-Message-Signature` (compared in constant time) and
                the timestamp must be within 10 minutes, else 403 and nothing is processed. A message id already seen by
                any instance (kept 11 minutes in Redis) is acknowledged with 204 and ignored. A notification whose counts
                could not be stored gets 503 and its id is forgotten, so Twitch's retry is processed.
              security: []
              parameters:
                - {name: Twitch-Eventsub-Message-Id, in: header, required: true, schema: {type: string}}
                - {name: Twitch-Eventsub-Message-Timestamp, in: header, required: true, schema: {type: string}}
                - {name: Twitch-Eventsub-Message-Signature, in: header, required: true, schema: {type: string}}
                - name: Twitch-Eventsub-Message-Type
                  in: header
                  required: true
                  schema:
                    type: string
                    enum: [notification, webhook_callback_verification, revocation]
              requestBody:
                required: true
                content:
                  application/json:
                    schema:
                      type: object
              responses:
                '200':
                  description: A `webhook_callback_verification`, answered with its `challenge` as the whole body.
                  content:
                    text/plain:
                      schema:
                        type: string
                '204':
                  description: Processed, a repeat ignored, or a notification that could not be read skipped.
                '400':
                  description: A `webhook_callback_verification` without a `challenge` (`bad_challenge`).
                  content:
                    application/json:
                      schema:
                        $ref: '#/components/schemas/Error'
                '403':
                  description: >-
                    Not believed, nothing processed: `webhook_missing_header` (one of the four `Twitch-Eventsub-Message-*`
                    headers is missing), `webhook_bad_signature` or `webhook_stale_timestamp` (unreadable, or more than 10
                    minutes away).
                  content:
                    application/json:
                      schema:
                        $ref: '#/components/schemas/Error'
                      example:
                        error:
                          code: webhook_bad_signature
                          message: the delivery is not signed by Twitch or is too old
                '404':
                  $ref: '#/components/responses/NotFound'
                '413':
                  $ref: '#/components/responses/ContentTooLarge'
                '503':
                  description: A notification's counts could not be stored (`unavailable`); Twitch delivers it again.
                  content:
                    application/json:
                      schema:
                        $ref: '#/components/schemas/Error'
        components:
          securitySchemes:
            bearerAuth:
              type: http
              scheme: bearer
              description: A GM API key from `tumulte apikey create` (`tml_` and 43 base64url characters).
            metricsToken:
              type: http
              scheme: bearer
              description: The `METRICS_TOKEN`, when one is set.
          parameters:
            Login:
              name: login
              in: path
              required: true
              description: A channel's Twitch login.
              schema:
                type: string
                pattern: '^[a-z0-9_]{4,25}$'
            PollId:
              name: id
              in: path
              required: true
              description: A poll id.
              schema:
                type: string
                format: uuid
            OverlayToken:
              name: token
              in: path
              required: true
              description: >-
                The overlay token of a channel: 22 base64url characters (128 bits) derived with `APP_KEY` from a random
                nonce stored for the channel, looked up by hash; rotating it (or changing `APP_KEY`) revokes the old one.
              schema:
                type: string
            IdempotencyKey:
              name: Idempotency-Key
              in: header
              required: false
              description: Makes a retry of the same request safe; the same key with another body is refused.
              schema:
                type: string
                minLength: 1
                maxLength: 200
                pattern: '^[ -~]+$'
            LastEventId:
              name: Last-Event-ID
              in: header
              required: false
              description: Sent by a reconnecting browser; the current snapshot is sent first in any case.
              schema:
                type: string
          headers:
            RetryAfter:
              description: Seconds to wait before retrying.
              schema:
                type: integer
                minimum: 0
            IdempotentReplayed:
              description: '`true` when the answer is a replay of an earlier request with the same `Idempotency-Key`.'
              schema:
                type: string
                const: 'true'
            WWWAuthenticate:
              description: '`Bearer`.'
              schema:
                type: string
          responses:
            BadRequest:
              description: The body is not valid JSON (`invalid_json`).
              content:
                application/json:
                  schema:
                    $ref: '#/components/schemas/Error'
                  example:
                    error:
                      code: invalid_json
                      message: the body is not valid JSON
            Unauthorized:
              description: No API key, or an unknown one (`unauthorized`).
              headers:
                WWW-Authenticate:
                  $ref: '#/components/headers/WWWAuthenticate'
              content:
                application/json:
                  schema:
                    $ref: '#/components/schemas/Error'
                  example:
                    error:
                      code: unauthorized
                      message: a valid API key is required
            Forbidden:
              description: The API key was revoked (`api_key_revoked`).
              content:
                application/json:
                  schema:
                    $ref: '#/components/schemas/Error'
                  example:
                    error:
                      code: api_key_revoked
                      message: this API key was revoked
            NotFound:
              description: No such channel, poll or overlay token (`not_found`).
              content:
                application/json:
                  schema:
                    $ref: '#/components/schemas/Error'
                  example:
                    error:
                      code: not_found
                      message: not found
            Conflict:
              description: |
                `channel_busy` (a channel is already in a running poll; `fields` key `channels.<login>`),
                `poll_not_running` (end or cancel of a poll that is not running), or `idempotency_key_reused`.
              content:
                application/json:
                  schema:
                    $ref: '#/components/schemas/Error'
                  example:
                    error:
                      code: channel_busy
                      message: a channel is already in a running poll
                      fields:
                        channels.alpha_gm: already in running poll 6f1d2c3b-4a59-4e6f-8a7b-9c0d1e2f3a4b
            ContentTooLarge:
              description: The request body is over 64 KiB (`body_too_large`).
              content:
                application/json:
                  schema:
                    $ref: '#/components/schemas/Error'
                  example:
                    error:
                      code: body_too_large
                      message: the request body is larger than 64 KiB
            ValidationFailed:
              description: |
                One message per bad field (`validation_failed`). Poll field keys: `title`, `options`, `options[i]`,
                `durationSeconds`, `channels`, `channels[i]`, `mode`, `voteRule`, and `Idempotency-Key` for that header;
                channel field key: `login`; poll list: `status`, `limit`, `cursor`. An unknown body field is reported
                under its own name.
              content:
                application/json:
                  schema:
                    $ref: '#/components/schemas/Error'
                  example:
                    error:
                      code: validation_failed
                      message: the poll is not valid
                      fields:
                        title: must be 1 to 60 characters
                        options[2]: must be 1 to 25 characters
            TooManyRequests:
              description: More than 20 poll starts in a minute with this API key (`rate_limited`); retry after `Retry-After`.
              headers:
                Retry-After:
                  $ref: '#/components/headers/RetryAfter'
              content:
                application/json:
                  schema:
                    $ref: '#/components/schemas/Error'
                  example:
                    error:
                      code: rate_limited
                      message: too many poll starts with this API key; try again later
            ServiceUnavailable:
              description: >-
                PostgreSQL or Redis is unreachable (`service_unavailable`, with `Retry-After`), or this daemon is shutting
                down (`shutting_down`); retry later.
              content:
                application/json:
                  schema:
                    $ref: '#/components/schemas/Error'
                  example:
                    error:
                      code: service_unavailable
                      message: the database is unreachable
            InternalError:
              description: An unexpected failure (`internal_error`); the daemon logs the details.
              content:
                application/json:
                  schema:
                    $ref: '#/components/schemas/Error'
                  example:
                    error:
                      code: internal_error
                      message: an internal error occurred
            EventStream:
              description: |
                A Server-Sent Events stream (`retry: 2000`, a `: ping` comment and an id-less `event: ping` every 15 s, events `poll.start`, `poll.tally`,
                `poll.end` with `id: <pollId>:<version>`); see the schemas `PollStartEvent`, `PollTallyEvent`, `PollEndEvent`.
              content:
                text/event-stream:
                  schema:
                    type: string
                  example: |
                    retry: 2000

                    event: poll.tally
                    id: 6f1d2c3b-4a59-4e6f-8a7b-9c0d1e2f3a4b:7
                    data: {"pollId":"6f1d2c3b-4a59-4e6f-8a7b-9c0d1e2f3a4b","votes":[3,2],"totalVotes":5,"percentages":[60.0,40.0],"winners":[0],"channels":{},"version":7}
          schemas:
            Error:
              type: object
              required: [error]
              properties:
                error:
                  type: object
                  required: [code, message]
                  properties:
                    code:
                      type: string
                      description: |
                        `invalid_json`, `bad_request`, `unauthorized`, `api_key_revoked`, `not_found`, `method_not_allowed`,
                        `channel_busy`, `poll_not_running`, `idempotency_key_reused`, `body_too_large`, `validation_failed`,
                        `rate_limited`, `service_unavailable`, `shutting_down`, `internal_error`; from `/eventsub/webhook`
                        also `webhook_missing_header`, `webhook_bad_signature`, `webhook_stale_timestamp`, `bad_challenge`
                        and `unavailable`.
                      examples: [validation_failed]
                    message:
                      type: string
                      description: One line for people.
                    fields:
                      type: object
                      description: One message per bad field; only for validation and conflicts.
                      additionalProperties:
                        type: string
            WhoAmI:
              type: object
              required: [id, name]
              properties:
                id:
                  type: string
                  format: uuid
                name:
                  type: string
            Channel:
              type: object
              required: [login, displayName, twitchUserId, connected, broadcasterType, needsReauth, overlayUrl, createdAt]
              properties:
                login:
                  type: string
                  pattern: '^[a-z0-9_]{4,25}$'
                  examples: [alpha_gm]
                displayName:
                  type: [string, 'null']
                twitchUserId:
                  type: [string, 'null']
                connected:
                  type: boolean
                  description: Whether the streamer has connected their Twitch account (`GET /auth/twitch`).
                broadcasterType:
                  type: string
                  enum: ['', affiliate, partner]
                  description: As Twitch said when the account was connected; native polls need affiliate or partner.
                needsReauth:
                  type: boolean
                  description: >-
                    The connected account's tokens could not be refreshed: the streamer must connect again; polls use chat
                    voting in this channel until then.
                overlayUrl:
                  type: [string, 'null']
                  format: uri
                  description: >-
                    The page to paste into OBS; changes when the overlay token is rotated. Every channel added through
                    this API has one.
                  examples: ['http://localhost:3333/overlay/3q2-7wEvAAAAAAAAAAAAAA']
                createdAt:
                  type: string
                  format: date-time
            ChannelList:
              type: object
              required: [channels]
              properties:
                channels:
                  type: array
                  description: Sorted by login.
                  items:
                    $ref: '#/components/schemas/Channel'
            PollStatus:
              type: string
              enum: [running, ending, ended, cancelled]
            PollDraft:
              type: object
              required: [title, options, channels]
              properties:
                title:
                  type: string
                  minLength: 1
                  maxLength: 60
                options:
                  type: array
                  minItems: 2
                  maxItems: 5
                  items:
                    type: string
                    minLength: 1
                    maxLength: 25
                durationSeconds:
                  type: integer
                  minimum: 15
                  maximum: 1800
                  default: 60
                channels:
                  type: array
                  minItems: 1
                  maxItems: 100
                  description: Logins of registered channels.
                  items:
                    type: string
                mode:
                  type: string
                  enum: [auto, chat, native]
                  default: auto
                  description: >-
                    `auto`: a native Twitch poll in each channel whose connected account is affiliate or partner and
                    usable, chat voting elsewhere (and where creating the native poll fails); `native`: the same, but a
                    channel that cannot is a 422 naming it; `chat`: chat voting everywhere, Helix is never called.
                voteRule:
                  type: string
                  enum: [unique, standard]
                  default: unique
                  description: '`unique`: one vote per viewer across all channels (the newest counts); `standard`: every message counts.'
              examples:
                - title: Which door?
                  options: [Left, Right]
                  durationSeconds: 60
                  channels: [alpha_gm]
                  mode: auto
                  voteRule: unique
            PollChannel:
              type: object
              required: [login, mode, status, nativeError]
              properties:
                login:
                  type: string
                mode:
                  type: string
                  enum: [chat, native]
                  description: >-
                    `native`: viewers vote in Twitch's own poll (counts arrive over EventSub, channel-points votes
                    included); `chat`: chat commands such as `!2`.
                status:
                  type: string
                  enum: [running, ended, cancelled]
                nativeError:
                  type: [string, 'null']
                  description: >-
                    Set when a native poll was wanted (mode `auto` or `native`) but Twitch refused to create it: the channel
                    votes in chat instead, and this says why.
            ChannelTally:
              type: object
              required: [votes, totalVotes]
              properties:
                votes:
                  type: array
                  description: Votes per option, in option order.
                  items:
                    type: integer
                    minimum: 0
                totalVotes:
                  type: integer
                  minimum: 0
            Tally:
              type: object
              required: [votes, totalVotes, percentages, winners, channels, version]
              properties:
                votes:
                  type: array
                  description: Votes per option, in option order.
                  items:
                    type: integer
                    minimum: 0
                totalVotes:
                  type: integer
                  minimum: 0
                percentages:
                  type: array
                  description: Percent per option, one decimal.
                  items:
                    type: number
                winners:
                  type: array
                  description: 0-based indexes of the options with the most votes; several on a tie; empty without votes.
                  items:
                    type: integer
                    minimum: 0
                channels:
                  type: object
                  description: Counts per channel login.
                  additionalProperties:
                    $ref: '#/components/schemas/ChannelTally'
                version:
                  type: integer
                  minimum: 0
                  description: Grows with every change of the counts.
            Poll:
              type: object
              required: [id, title, options, durationSeconds, mode, voteRule, channels, status, startedAt, endsAt, endedAt, tally]
              properties:
                id:
                  type: string
                  format: uuid
                title:
                  type: string
                options:
                  type: array
                  items:
                    type: string
                durationSeconds:
                  type: integer
                mode:
                  type: string
                  enum: [auto, chat, native]
                voteRule:
                  type: string
                  enum: [unique, standard]
                channels:
                  type: array
                  items:
                    $ref: '#/components/schemas/PollChannel'
                status:
                  $ref: '#/components/schemas/PollStatus'
                startedAt:
                  type: string
                  format: date-time
                endsAt:
                  type: string
                  format: date-time
                endedAt:
                  type: [string, 'null']
                  format: date-time
                tally:
                  $ref: '#/components/schemas/Tally'
            PollPage:
              type: object
              required: [polls, nextCursor]
              properties:
                polls:
                  type: array
                  description: Newest first.
                  items:
                    $ref: '#/components/schemas/Poll'
                nextCursor:
                  type: [string, 'null']
                  description: Pass as `cursor` for the next page; null on the last one.
            PollStartEvent:
              type: object
              description: '`data` of an SSE `poll.start` event.'
              required: [poll, serverTime]
              properties:
                poll:
                  $ref: '#/components/schemas/Poll'
                serverTime:
                  type: string
                  format: date-time
                  description: The server's clock when the event was built, so a client can count down to `endsAt` without trusting its own clock.
            PollTallyEvent:
              description: '`data` of an SSE `poll.tally` event: the poll id and the tally fields.'
              allOf:
                - $ref: '#/components/schemas/Tally'
                - type: object
                  required: [pollId, serverTime]
                  properties:
                    pollId:
                      type: string
                      format: uuid
                    serverTime:
                      type: string
                      format: date-time
            PollEndEvent:
              type: object
              description: '`data` of an SSE `poll.end` event.'
              required: [pollId, status, tally]
              properties:
                pollId:
                  type: string
                  format: uuid
                status:
                  $ref: '#/components/schemas/PollStatus'
                tally:
                  $ref: '#/components/schemas/Tally'
            Health:
              type: object
              required: [status, timestamp, version, services]
              properties:
                status:
                  type: string
                  enum: [ok, degraded]
                timestamp:
                  type: string
                  format: date-time
                version:
                  type: string
                services:
                  type: object
                  required: [database, redis, twitchChat, twitchAccounts, eventSub]
                  properties:
                    database:
                      type: boolean
                    redis:
                      type: boolean
                    twitchChat:
                      type: object
                      required: [status]
                      properties:
                        status:
                          type: string
                          enum: [ok, degraded, disabled]
                        connections:
                          type: integer
                        joinedChannels:
                          type: integer
                        wantedChannels:
                          type: integer
                        suspendedChannels:
                          type: integer
                    twitchAccounts:
                      type: object
                      required: [status]
                      description: >-
                        Connected Twitch accounts, validated at start and hourly. `needs_reauth` lists the channels whose
                        tokens could not be refreshed: their streamer must connect again, and their polls use chat voting.
                      properties:
                        status:
                          type: string
                          enum: [ok, needs_reauth, disabled]
                        needsReauth:
                          type: array
                          items:
                            type: string
                        bot:
                          type: object
                          description: >-
                            The bot account chat logs in as, when one is connected; `needsReauth` (which also makes the
                            status `needs_reauth`) means chat is read anonymously until it is connected again.
                          properties:
                            login:
                              type: string
                            needsReauth:
                              type: boolean
                    eventSub:
                      type: object
                      required: [status]
                      description: >-
                        Native polls' EventSub delivery: with `websocket`, the sessions this instance holds (two instances
                        hold one per channel that can run native polls), `degraded` while some are not subscribed
                        (reconnecting), and `elsewhere` the channels whose sessions other instances hold; `disabled` without
                        a Twitch application.
                      properties:
                        status:
                          type: string
                          enum: [ok, degraded, disabled]
                        transport:
                          type: string
                          enum: [websocket, webhook]
                        sessions:
                          type: integer
                        subscribedSessions:
                          type: integer
                        elsewhere:
                          type: integer

        """#
}

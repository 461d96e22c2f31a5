/**
 * How long a campaign's dispatch lease lasts. Every dispatch page and a resume
 * (POST /v1/campaigns/{id}/resume) set `leaseUntil` this far ahead, and the every-minute
 * sweep revives a chain whose lease has run out from its saved cursor. Both writers must use
 * the same figure: a shorter one on either side makes the sweep revive a chain that is still
 * running (a second page message, skipped by the cursor check but wasted), a longer one
 * delays the revival of a chain that has died.
 */
export const DISPATCH_LEASE_MS = 2 * 60 * 1000;

/**
 * Contacts per dispatch page: a multiple of the 200 recipients one SMS message (one Kavenegar
 * call) carries, so only a campaign's last page sends a short SMS message. A page must be
 * read, fanned out and saved well within {@link DISPATCH_LEASE_MS} (the dispatcher's timeout is
 * 60 s).
 */
export const DISPATCH_PAGE_SIZE = 1000;

/**
 * How long a sender's claim protects a delivery from a second sender. Well under the channel
 * queues' visibility timeout (6 min), so a message that comes back finds the claim of a
 * crashed sender expired and can take it over, and over a sender's 60 s timeout, so a live
 * sender is never overtaken.
 */
export const CLAIM_LEASE_MS = 2 * 60 * 1000;

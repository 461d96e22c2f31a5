/**
 * zod/mini loads no locale, so every message zod words itself would read "Invalid input".
 * Importing this module sets English once for every schema: the wording classic zod uses,
 * which the API's 400s and the ConfigError quote. Import it where issues become messages.
 */
import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

config(en());

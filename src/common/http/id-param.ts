import { ParseUUIDPipe } from '@nestjs/common';

/**
 * Pipe for `:id` route parameters: a malformed id is answered like an unknown one (404),
 * so callers learn nothing from the shape of ids they may not see.
 */
export const ID_PARAM = new ParseUUIDPipe({ version: '4', errorHttpStatusCode: 404 });

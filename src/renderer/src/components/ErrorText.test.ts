import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { dictionaries } from '../i18n';
import { errorText } from './ErrorText';

describe('errorText', () => {
  const { en, it: italian } = dictionaries;
  it('says known failures in the person\'s language', () => {
    const limit = new ApiError(409, 'integration_limit_reached', 'The base plan includes 1 integration and it is in use.');
    expect(errorText(en, limit)).toBe(en.webhooks.full);
    expect(errorText(italian, limit)).toBe(italian.webhooks.full);
    expect(errorText(italian, new ApiError(429, 'rate_limited', 'slow down', 90))).toBe(italian.rateLimited(2));
    expect(errorText(italian, new ApiError(0, 'network', 'network'))).toBe(italian.networkError);
    expect(errorText(italian, new ApiError(403, 'csrf_failed', 'x'))).toBe(italian.errors.expired);
  });
  it('keeps the server\'s specifics for invalid input, and hides internal failures', () => {
    expect(errorText(italian, new ApiError(400, 'invalid_request', 'Invalid body: url: must be an http:// or https:// URL'))).toBe('Dati non validi: Invalid body: url: must be an http:// or https:// URL');
    expect(errorText(en, new ApiError(500, 'internal', 'SQLITE_BUSY'))).toBe(en.genericError);
    expect(errorText(en, new Error('boom'))).toBe(en.genericError);
    expect(errorText(en, new ApiError(409, 'something_new', 'A specific reason'))).toBe('A specific reason');
  });
});

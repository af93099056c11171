import { describe, expect, it } from 'vitest';
import { redactDatabaseUrl } from '../../../src/store/transfer/index.js';

describe('redactDatabaseUrl', () => {
  it('GIVEN a URL with a password in its authority or its parameters THEN neither is shown, and the rest is', () => {
    const shown = redactDatabaseUrl('postgres://newsbot:s3cr%40t@db.internal:5432/newsbot?sslmode=require&password=other');
    expect(shown).toBe('postgres://newsbot@db.internal:5432/newsbot?sslmode=require');
  });

  it('GIVEN something that is not a URL THEN none of it is shown, or only its scheme', () => {
    expect(redactDatabaseUrl('postgres:user:secret@@@')).not.toContain('secret');
    expect(redactDatabaseUrl('host=db password=secret')).not.toContain('secret');
    expect(redactDatabaseUrl('postgres://user:secret@[::1')).toBe('postgres://…');
  });
});

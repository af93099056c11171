/** What every configuration error must be: one line, naming the variable and the form it accepts. */
import { expect } from 'vitest';
import type { ConfigError } from '../../src/errors.js';

export function expectOneLineNaming(err: ConfigError, variable: string, form: string): void {
  expect(err.message).toContain(variable);
  expect(err.message).toContain(form);
  expect(err.message).not.toContain('\n');
  expect(err.context.variable).toBe(variable);
}

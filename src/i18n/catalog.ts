import type { Language } from './language.js';

/** A message is a fixed string or a function of its parameters. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Message = string | ((...args: any[]) => string);
export type Messages = Record<string, Message>;

/** The same messages in every language; the compiler checks that en has every key of zh with the same shape. */
export type Catalog<M extends Messages> = Readonly<Record<Language, M>>;

/**
 * Declares a catalog. Each area of the code (render, commands, delivery) owns one file in
 * `src/i18n/` built with this, so strings live in one place per area and both languages stay in step.
 */
export function defineCatalog<M extends Messages>(zh: M, en: { [K in keyof M]: M[K] }): Catalog<M> {
  return { zh, en: en as M };
}

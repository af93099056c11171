/** User-facing strings, zh and en. Each area's catalog lives in its own file beside this one. */
export { LANGUAGES, languageFromLocale, type Language } from './language.js';
export { defineCatalog, type Catalog, type Message, type Messages } from './catalog.js';

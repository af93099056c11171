/** The reply to a command nobody registered: a short hint pointing to /help. */
import type { Language } from '../i18n/language.js';
import { echo, infoReply } from './reply.js';
import type { Reply } from './types.js';

/** "There is no /foo command. Send /help…"; an empty name (a bare "/") gets the general hint. */
export function unknownCommandReply(name: string, language: Language): Reply {
  if (name === '') return infoReply(language, 'notCommand');
  return infoReply(language, 'unknown', { command: echo(`/${name}`, 33) });
}

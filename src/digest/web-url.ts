/** The web page of an issue, from the ISSUE_WEB_URL template. */

/** `template` with every `{id}` replaced by the URL-encoded issue id; undefined without a template. */
export function issueWebUrl(template: string | undefined, issueId: string): string | undefined {
  return template ? template.split('{id}').join(encodeURIComponent(issueId)) : undefined;
}

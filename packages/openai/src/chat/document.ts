/**
 * Canonical document parts → OpenAI files, for both OpenAI dialects.
 *
 *   base64   → Chat `{type: 'file', file: {filename, file_data: 'data:…;base64,…'}}`,
 *              Responses `{type: 'input_file', filename, file_data}`
 *   url      → Responses `{type: 'input_file', file_url}`; Chat takes no file URL: refused, 400 (sending the
 *              request without the document would change what it asks)
 *   text     → a text part (Anthropic's plain-text documents are text)
 *
 * OpenAI wants a file name with inline data: the client's, else `document` + an extension for the media type.
 * Anthropic's `title` and `context` have no OpenAI field: dropped, warned.
 */
import type { DocumentPart } from '@tokenpak/provider';
import { ProviderError } from '@tokenpak/provider';

const EXTENSION_BY_MEDIA: Record<string, string> = {
  'application/pdf': 'pdf',
  'text/plain': 'txt',
  'text/markdown': 'md',
  'text/csv': 'csv',
  'text/html': 'html',
  'application/json': 'json',
};

/** The client's file name, else `document.<ext>` for the media type. */
export function documentFilename(part: DocumentPart): string {
  if (part.filename) return part.filename;
  const mediaType = part.source.kind === 'base64' ? part.source.mediaType.toLowerCase() : undefined;
  const extension = mediaType ? EXTENSION_BY_MEDIA[mediaType] : undefined;
  return extension ? `document.${extension}` : 'document';
}

/** How a document is named in warnings and refusals: its file name or title, and its media type. */
export function describeDocument(part: DocumentPart): string {
  const name = part.filename ?? part.title;
  const type =
    part.source.kind === 'base64'
      ? part.source.mediaType
      : part.source.kind === 'text'
        ? 'text/plain'
        : part.source.url;
  return `the document ${name === undefined ? '' : `'${name}' `}(${type})`;
}

export function documentDataUrl(part: DocumentPart & { source: { kind: 'base64' } }): string {
  return `data:${part.source.mediaType};base64,${part.source.data}`;
}

/** Title and context have no OpenAI field: named once each. */
export function warnDocumentLabels(part: DocumentPart, warnings: string[]): void {
  for (const key of ['title', 'context'] as const) {
    if (part[key] === undefined) continue;
    const warning = `a document's ${key} is dropped: OpenAI files have none`;
    if (!warnings.includes(warning)) warnings.push(warning);
  }
}

export function refuseDocument(part: DocumentPart, why: string): ProviderError {
  return new ProviderError({
    type: 'invalid_request',
    message: `${describeDocument(part)} cannot be sent: ${why}; without it the request would ask something else`,
  });
}

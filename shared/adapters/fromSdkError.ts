/**
 * Translation of Azure SDK errors (storage `RestError`, Cosmos `ErrorResponse`, Node network errors) into the
 * pipeline's error types. The only place that looks at SDK error shapes.
 */
import { DependencyError, ensureError, NotFoundError, PipelineError } from '../errors.js';

const NETWORK_CODES = new Set([
    'ECONNREFUSED',
    'ECONNRESET',
    'ECONNABORTED',
    'ETIMEDOUT',
    'ESOCKETTIMEDOUT',
    'EPIPE',
    'ENOTFOUND',
    'EAI_AGAIN',
    'EHOSTUNREACH',
    'ENETUNREACH',
    'UND_ERR_SOCKET',
    'REQUEST_SEND_ERROR',
]);

/** HTTP status of an SDK error: `statusCode` (storage RestError) or a numeric `code` (Cosmos ErrorResponse). */
export function statusOf(error: unknown): number | undefined {
    if (typeof error !== 'object' || error === null) return undefined;
    const e = error as { statusCode?: unknown; code?: unknown; status?: unknown };
    if (typeof e.statusCode === 'number') return e.statusCode;
    if (typeof e.code === 'number') return e.code;
    if (typeof e.status === 'number') return e.status;
    return undefined;
}

/** True for failures worth retrying: 408, 429 (after the SDK's own retries), 449, 5xx, network, timeouts. */
export function isTransientStatus(status: number): boolean {
    return status === 408 || status === 429 || status === 449 || status >= 500;
}

function isNetworkError(error: Error): boolean {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
    if (error.name === 'AbortError' || error.name === 'TimeoutError') return true;
    const cause = (error as { cause?: unknown }).cause;
    return cause instanceof Error && cause !== error && isNetworkError(cause);
}

/**
 * Maps an SDK failure of `operation` to a pipeline error: 404 → NotFoundError; transient status, network or
 * auth (401/403: identity or role assignment not ready) → DependencyError; anything else → PipelineError.
 * Errors that already are pipeline errors pass through.
 */
export function fromSdkError(error: unknown, operation: string): PipelineError {
    if (error instanceof PipelineError) return error;
    const cause = ensureError(error);
    const status = statusOf(error);
    const detail = `${operation} failed${status === undefined ? '' : ` (HTTP ${status})`}: ${cause.message}`;
    if (status === 404) return new NotFoundError(detail, { cause });
    if (
        (status !== undefined && (isTransientStatus(status) || status === 401 || status === 403)) ||
        isNetworkError(cause)
    ) {
        return new DependencyError(detail, {
            cause,
            ...(status === undefined ? {} : { statusCode: status }),
        });
    }
    return new PipelineError(detail, { cause });
}

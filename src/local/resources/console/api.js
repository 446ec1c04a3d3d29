// The HTTP API as the console calls it: same origin, the API key (kept for this tab only) as a bearer token.
const KEY = 'visage.api-key';

export const apiKey = {
  get: () => sessionStorage.getItem(KEY) ?? '',
  set: (value) => (value ? sessionStorage.setItem(KEY, value) : sessionStorage.removeItem(KEY)),
};

export class ApiError extends Error {
  constructor(status, body) {
    const error = body?.error ?? {};
    super(error.message ?? `HTTP ${status}`);
    this.status = status;
    this.code = error.code;
    this.field = error.field;
  }
}

export async function call(method, path, body) {
  const headers = {};
  if (apiKey.get()) headers.authorization = `Bearer ${apiKey.get()}`;
  const response = await fetch(path, { method, headers, body, cache: 'no-store' });
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    // Not JSON (a proxy's error page): the status says enough.
  }
  if (!response.ok) throw new ApiError(response.status, json);
  return json;
}

/** POST /v1/jobs as multipart: the photo as the file part `face_image`, the rest as the JSON part `request`. */
export function createJob(photo, request) {
  const body = new FormData();
  body.append('face_image', photo, photo.name);
  body.append('request', new Blob([JSON.stringify(request)], { type: 'application/json' }));
  return call('POST', '/v1/jobs', body);
}

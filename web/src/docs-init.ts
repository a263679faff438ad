// Swagger UI from the bundled `swagger-ui-dist` (no CDN), rendering this app's generated document.
declare const SwaggerUIBundle: (options: Record<string, unknown>) => unknown;

SwaggerUIBundle({
    url: new URL('openapi.json', document.baseURI).toString(),
    dom_id: '#swagger-ui',
    deepLinking: true,
    tryItOutEnabled: true,
    persistAuthorization: true,
});

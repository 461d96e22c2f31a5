// Starts Swagger UI on the document this API serves; no request leaves the API's own origin
// (validatorUrl: null, so no badge from validator.swagger.io).
window.addEventListener('load', () => {
  window.ui = SwaggerUIBundle({
    url: new URL('v1/openapi.json', document.baseURI).href,
    dom_id: '#swagger-ui',
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
    validatorUrl: null,
    defaultModelsExpandDepth: 0,
  });
});

// Starts Swagger UI on the API page (templates/api/docs.html). A file, not an inline
// script: the site's Content-Security-Policy allows scripts from static/ only.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const container = document.getElementById("swagger-ui");
  if (!container || typeof SwaggerUIBundle === "undefined") {
    return;
  }
  SwaggerUIBundle({
    url: container.dataset.schemaUrl,
    domNode: container,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    deepLinking: true,
    // Nothing leaves the portal: no call to an outside schema validator.
    validatorUrl: null,
    supportedSubmitMethods: ["get", "head"],
  });
});

// Swagger UI over every service's schema, with a dropdown to pick one; assets are local (no CDN).
(function () {
  "use strict";
  var urls = JSON.parse(document.getElementById("schemas").textContent);
  window.ui = SwaggerUIBundle({
    urls: urls,
    "urls.primaryName": urls[0].name,
    dom_id: "#swagger-ui",
    deepLinking: true,
    persistAuthorization: false,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    plugins: [SwaggerUIBundle.plugins.DownloadUrl],
    layout: "StandaloneLayout",
    // a token from the web UI in this tab is used unless one was typed in "Authorize"
    requestInterceptor: function (request) {
      var token = window.sessionStorage.getItem("ewtto.access");
      if (token && !request.headers.Authorization) {
        request.headers.Authorization = "Bearer " + token;
      }
      return request;
    },
  });
})();

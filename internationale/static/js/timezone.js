// Tell the server the browser's time zone, so that pages show times in the reader's zone when
// the person has not chosen one (see TimezoneMiddleware). A cookie, read on the next request.
(function () {
  var zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (e) {
    return;
  }
  if (!zone) return;
  var value = encodeURIComponent(zone);
  if (document.cookie.split("; ").indexOf("tz=" + value) === -1) {
    document.cookie = "tz=" + value + "; path=/; max-age=31536000; samesite=lax";
  }
})();

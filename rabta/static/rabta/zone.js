/* The device's time zone, for showing times on the reader's clock.  A signed-in person who has
   not chosen a zone is offered it (the layout's notice: this fills its hidden field and shows
   its question; without JavaScript the notice links to the settings page).  A visitor who is not
   signed in has it remembered in a cookie, which the server reads on the next page. */
(function () {
  "use strict";
  var zone;
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
  // An IANA name such as Europe/London or America/Argentina/Buenos_Aires; the server checks it.
  if (!zone || !/^[A-Za-z0-9_+\-\/]{1,64}$/.test(zone)) return;
  document.addEventListener("DOMContentLoaded", function () {
    if (document.body.hasAttribute("data-zone-remember")) {
      document.cookie = "rabta_zone=" + zone + "; path=/; max-age=" + 60 * 60 * 24 * 365 + "; samesite=lax" +
        (location.protocol === "https:" ? "; secure" : "");
    }
    var offer = document.querySelector("[data-zone-offer]");
    if (!offer) return;
    offer.querySelector("[data-zone-device]").textContent = zone;
    offer.querySelector("[data-zone-field]").value = zone;
    offer.querySelector("[data-zone-question]").hidden = false;
    offer.querySelector("[data-zone-use]").hidden = false;
    offer.querySelector("[data-zone-choose]").hidden = true;
  });
})();

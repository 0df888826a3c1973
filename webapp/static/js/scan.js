// Reads a provider's QR code with the camera: BarcodeDetector where the browser has it, jsQR otherwise.
// A code of this site (/r/<token>) leads to the redemption page for the chosen child's coupons.
(function () {
  "use strict";
  var box = document.getElementById("scanner");
  var video = document.getElementById("video");
  var canvas = document.getElementById("frame");
  var status = document.getElementById("scan-status");
  var help = document.getElementById("camera-help");
  var done = false;

  function handle(text) {
    var url;
    try { url = new URL(text, location.href); } catch (e) { return; }
    if (url.origin !== location.origin || !/^\/r\/[\w-]+$/.test(url.pathname)) {
      status.textContent = box.dataset.foreign;
      return;
    }
    done = true;
    var stream = video.srcObject;
    if (stream) stream.getTracks().forEach(function (t) { t.stop(); });
    location.href = url.pathname + "?set=" + encodeURIComponent(box.dataset.set);
  }

  function loop(detect) {
    if (done) return;
    detect().then(function (text) {
      if (text) handle(text);
      if (!done) requestAnimationFrame(function () { loop(detect); });
    }).catch(function () { requestAnimationFrame(function () { loop(detect); }); });
  }

  function withJsQR(cb) {
    if (window.jsQR) return cb();
    var s = document.createElement("script");
    s.src = box.dataset.jsqr;
    s.onload = cb;
    document.head.appendChild(s);
  }

  function start(stream) {
    video.srcObject = stream;
    video.play();
    status.textContent = "";
    if ("BarcodeDetector" in window) {
      var detector = new window.BarcodeDetector({formats: ["qr_code"]});
      loop(function () {
        return detector.detect(video).then(function (codes) { return codes.length ? codes[0].rawValue : null; });
      });
      return;
    }
    withJsQR(function () {
      var ctx = canvas.getContext("2d", {willReadFrequently: true});
      loop(function () {
        if (video.readyState < 2) return Promise.resolve(null);
        canvas.width = video.videoWidth;
        canvas.height = video.videoHeight;
        ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
        var image = ctx.getImageData(0, 0, canvas.width, canvas.height);
        var code = window.jsQR(image.data, image.width, image.height, {inversionAttempts: "dontInvert"});
        return Promise.resolve(code ? code.data : null);
      });
    });
  }

  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    status.textContent = box.dataset.unsupported;
    help.hidden = false;
    return;
  }
  navigator.mediaDevices.getUserMedia({video: {facingMode: "environment"}, audio: false})
    .then(start)
    .catch(function () { status.textContent = ""; help.hidden = false; });
})();

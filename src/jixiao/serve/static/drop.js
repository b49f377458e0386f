/* jixiao serve: optional comfort for the upload form (the form works without it).
   Drop a workbook anywhere on the form to choose it; a file over the size limit is refused before it is sent. */
(function () {
  var form = document.querySelector("form.upload");
  var input = document.getElementById("file");
  var note = document.getElementById("size-note");
  if (!form || !input || !note || !window.FileReader) { return; }
  var max = parseInt(note.getAttribute("data-max"), 10) || 0;
  function tooBig(file) {
    if (max && file && file.size > max) {
      note.textContent = "文件超过 " + Math.round(max / 1048576) + " MB，无法检查。请确认选对了文件。";
      note.className = "note errors";
      return true;
    }
    return false;
  }
  form.addEventListener("dragover", function (ev) { ev.preventDefault(); form.className = "upload over"; });
  form.addEventListener("dragleave", function () { form.className = "upload"; });
  form.addEventListener("drop", function (ev) {
    ev.preventDefault();
    form.className = "upload";
    if (ev.dataTransfer && ev.dataTransfer.files && ev.dataTransfer.files.length) {
      input.files = ev.dataTransfer.files;
      if (!tooBig(input.files[0])) { form.submit(); }
    }
  });
  form.addEventListener("submit", function (ev) {
    if (input.files && tooBig(input.files[0])) { ev.preventDefault(); }
  });
})();

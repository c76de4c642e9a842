'use strict';
// The seller's product form (loaded by SellerProductAdmin.Media; no inline script, so CSP allows it):
// - a chosen picture is previewed before saving;
// - product images move up/down: the rows are reordered and their position fields renumbered, so what is saved
//   is the order shown;
// - a collapsed section or translation with an error is opened.
(function () {
    var gettext = window.gettext || function (text) { return text; };

    function imageRows(group) {
        return Array.prototype.filter.call(group.querySelectorAll('tr.form-row'), function (row) {
            return !row.classList.contains('empty-form') && row.querySelector('input[name$="-position"]');
        });
    }

    function renumber(group) {
        imageRows(group).forEach(function (row, index) {
            row.querySelector('input[name$="-position"]').value = index;
        });
    }

    function addMoveButtons(group, row) {
        var cell = row.querySelector('td.field-position');
        if (!cell || cell.querySelector('.seller-move')) {
            return;
        }
        [['up', '\u2191', gettext('Move up')], ['down', '\u2193', gettext('Move down')]].forEach(function (spec) {
            var button = document.createElement('button');
            button.type = 'button';
            button.className = 'seller-move seller-move-' + spec[0];
            button.textContent = spec[1];
            button.title = spec[2];
            button.setAttribute('aria-label', spec[2]);
            button.addEventListener('click', function () {
                var rows = imageRows(group);
                var index = rows.indexOf(row);
                var other = rows[spec[0] === 'up' ? index - 1 : index + 1];
                if (!other) {
                    return;
                }
                if (spec[0] === 'up') {
                    other.parentNode.insertBefore(row, other);
                } else {
                    other.parentNode.insertBefore(other, row);
                }
                renumber(group);
                button.focus();
            });
            cell.appendChild(button);
        });
    }

    function preview(input) {
        var old = input.parentNode.querySelector('.seller-file-preview');
        if (old) {
            old.remove();
        }
        var file = input.files && input.files[0];
        if (!file || !/^image\//.test(file.type)) {
            return;
        }
        // A data: URL, not a blob: one: the site's CSP allows images from 'self' and data: only.
        var reader = new FileReader();
        reader.addEventListener('load', function () {
            var img = document.createElement('img');
            img.className = 'seller-file-preview';
            img.alt = gettext('Preview of the chosen picture');
            img.src = reader.result;
            input.parentNode.appendChild(img);
        });
        reader.readAsDataURL(file);
    }

    function init() {
        var group = document.getElementById('images-group');
        if (group) {
            imageRows(group).forEach(function (row) { addMoveButtons(group, row); });
            document.addEventListener('formset:added', function (event) {
                if (event.detail && event.detail.formsetName === 'images') {
                    addMoveButtons(group, event.target);
                    renumber(group);
                }
            });
        }
        document.addEventListener('change', function (event) {
            var input = event.target;
            if (input.matches && input.matches('input[type=file][name$="-image"]')) {
                preview(input);
            }
        });
        document.querySelectorAll('details').forEach(function (details) {
            if (details.querySelector('.errorlist, .errors')) {
                details.open = true;
            }
        });
    }

    if (document.readyState === 'loading') {
        document.addEventListener('DOMContentLoaded', init);
    } else {
        init();
    }
})();

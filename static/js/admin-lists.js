// The admin's lists on a phone: each row becomes a card (admin-moderation.css) whose cells are
// named by their column's heading, copied here from the table's header. Without this script
// the table stays a table, scrolling sideways inside its box as Django draws it.
document.querySelectorAll("body:not(.model-comment) #result_list").forEach((table) => {
  // A heading's name without its sorting controls ("2", "Toggle sorting").
  const names = [...table.querySelectorAll("thead th")].map((th) =>
    (th.querySelector(".text") || th).textContent.trim(),
  );
  table.querySelectorAll("tbody tr").forEach((row) => {
    [...row.children].forEach((cell, index) => {
      if (names[index]) cell.dataset.label = names[index];
    });
  });
  table.classList.add("as-cards");
});

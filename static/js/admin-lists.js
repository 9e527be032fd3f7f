// The admin's lists on a phone: each row becomes a card (admin-moderation.css) whose cells are
// named by their column's heading, copied here from the table's header. The header itself is
// hidden there, and with it the sorting links: a "Sort by" line above the cards offers them.
// Without this script the table stays a table, scrolling sideways inside its box as Django
// draws it.
document.querySelectorAll("body:not(.model-comment) #result_list").forEach((table) => {
  const headings = [...table.querySelectorAll("thead th")];
  // A heading's name without its sorting controls ("2", "Toggle sorting").
  const names = headings.map((th) => (th.querySelector(".text") || th).textContent.trim());
  table.querySelectorAll("tbody tr").forEach((row) => {
    [...row.children].forEach((cell, index) => {
      if (names[index]) cell.dataset.label = names[index];
    });
  });
  table.classList.add("as-cards");

  // Django's heading links: a column sorted first reverses, any other becomes the first.
  const sortable = headings.filter((th) => th.classList.contains("sortable"));
  const box = table.closest(".results");
  if (!sortable.length || !box) return;
  const nav = document.createElement("nav");
  nav.className = "card-sort";
  nav.setAttribute("aria-label", "Sort the list");
  const label = document.createElement("span");
  label.textContent = "Sort by:";
  const list = document.createElement("ul");
  sortable.forEach((th) => {
    const heading = th.querySelector(".text a");
    if (!heading) return;
    const name = heading.textContent.trim();
    const link = document.createElement("a");
    link.href = heading.getAttribute("href");
    link.textContent = name;
    // Sorted first: the primary column carries "sortoptions" with a "remove" link.
    if (th.classList.contains("sorted") && th.querySelector(".sortremove")) {
      const ascending = th.classList.contains("ascending");
      link.setAttribute("aria-current", "true");
      link.textContent = `${name} ${ascending ? "↑" : "↓"}`;
      link.setAttribute(
        "aria-label",
        `${name}, sorted ${ascending ? "ascending" : "descending"}: reverse`,
      );
    }
    const item = document.createElement("li");
    item.appendChild(link);
    list.appendChild(item);
  });
  nav.append(label, list);
  box.parentNode.insertBefore(nav, box);
});

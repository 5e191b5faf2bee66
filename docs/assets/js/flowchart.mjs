// Draws the flowcharts of flowchart/ with the Mermaid copy served by the site (assets/vendor/mermaid,
// from npm).  UI glue only: the chart sources are generated at build time from the rules
// (build_scripts/pages/flowchart.py) and sit in <script type="text/x-mermaid"> blocks; each chart's text
// version is already in the page, so nothing is lost if this fails.
// Loaded only on the flowchart page, so the 5 MB Mermaid bundle is fetched nowhere else.  The charts
// do not use Material's `pre.mermaid` path, which would fetch Mermaid from a CDN.

const MERMAID = new URL("../vendor/mermaid/mermaid.min.js", import.meta.url).href;

function loadScript(src) {
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = src;
    script.onload = resolve;
    script.onerror = () => reject(new Error(`cannot load ${src}`));
    document.head.append(script);
  });
}

async function draw() {
  const charts = [...document.querySelectorAll(".rp-chart[data-chart]")];
  if (!charts.length) return;
  for (const chart of charts) {
    chart.hidden = false;
    chart.dataset.state = "loading";
  }
  try {
    await loadScript(MERMAID);
    const mermaid = globalThis.mermaid;
    mermaid.initialize({
      startOnLoad: false,
      securityLevel: "strict",
      theme: "default",
      flowchart: { useMaxWidth: true, htmlLabels: true },
    });
    for (const chart of charts) {
      const n = chart.dataset.chart;
      const source = document.getElementById(`chart-src-${n}`).textContent;
      const { svg } = await mermaid.render(`rp-flowchart-${n}`, source);
      chart.innerHTML = svg;
      const drawn = chart.querySelector("svg");
      drawn.setAttribute("role", "group");
      drawn.setAttribute("aria-label", `流程图${n}（文字版见下方）`);
      chart.dataset.state = "ready";
    }
  } catch (error) {
    for (const chart of charts) {
      if (chart.dataset.state === "ready") continue;
      chart.dataset.state = "error";
      chart.textContent = "流程图未能绘制，请阅读下方的文字版。";
    }
    console.error("flowchart: Mermaid failed:", error);
  }
}

draw();

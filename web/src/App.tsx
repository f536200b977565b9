import { useEffect, useState, type FormEvent } from 'react';
import { NavLink, Route, Routes, useLocation, useNavigate } from 'react-router';
import { ActorPage } from './pages/ActorPage.js';
import { AddArticlePage } from './pages/AddArticlePage.js';
import { ArticlePage } from './pages/ArticlePage.js';
import { HomePage } from './pages/HomePage.js';
import { SearchPage } from './pages/SearchPage.js';
import { TopicBoard } from './pages/TopicBoard.js';

function SearchBox() {
  const navigate = useNavigate();
  const [text, setText] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (text.trim()) void navigate(`/search?q=${encodeURIComponent(text.trim())}`);
  };
  return (
    <form role="search" className="search-box" onSubmit={submit}>
      <label htmlFor="site-search" className="visually-hidden">
        Search articles, quotes and actors
      </label>
      <input id="site-search" type="search" placeholder="Search" value={text} onChange={(e) => setText(e.target.value)} />
      <button type="submit">Search</button>
    </form>
  );
}

/** Moves focus to the page's heading after navigation, so keyboard and screen-reader users start there. */
function useFocusOnNavigation() {
  const { pathname } = useLocation();
  useEffect(() => {
    document.querySelector<HTMLElement>('main h1')?.focus({ preventScroll: true });
  }, [pathname]);
}

export function App() {
  useFocusOnNavigation();
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <NavLink to="/" className="brand" end>
          newsgraph
        </NavLink>
        <nav aria-label="Main">
          <NavLink to="/" end>
            Articles
          </NavLink>
          <NavLink to="/add">Add an article</NavLink>
        </nav>
        <SearchBox />
      </header>
      <main id="main">
        <Routes>
          <Route path="/" element={<HomePage />} />
          <Route path="/articles/:slug" element={<ArticlePage />} />
          <Route path="/actors/:id" element={<ActorPage />} />
          <Route path="/topics/:slug" element={<TopicBoard />} />
          <Route path="/search" element={<SearchPage />} />
          <Route path="/add" element={<AddArticlePage />} />
          <Route path="*" element={<h1 tabIndex={-1}>Page not found</h1>} />
        </Routes>
      </main>
    </>
  );
}
